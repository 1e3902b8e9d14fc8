using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace FundingPrograms.Payments;

public enum StatementProblem { Malformed, DtdNotAllowed, TooLarge, SchemaInvalid, Unsupported, WrongAccount }

/// <summary>A bank file that was refused, with the reason in a sentence for the client.</summary>
public sealed class StatementRejectedException(StatementProblem problem, string message) : Exception(message)
{
    public StatementProblem Problem { get; } = problem;
}

/// <summary>
/// A kind of bank file: its name in messages, what its Document is expected to be, and the namespaces it may have.
/// <see cref="KeepWhitespace"/>: whitespace-only text is kept (and validated: a value of spaces is then valid where the schema allows it).
/// </summary>
public sealed record BankFileKind(string Noun, string Expected, params string[] Namespaces)
{
    public string DtdRefused { get; init; } = $"DTDs (DOCTYPE declarations) are not allowed in {Noun}s.";
    public bool KeepWhitespace { get; init; }
}

/// <summary>
/// The one way bank files (camt.053/054, pain.002) are read: DTDs prohibited (no XXE), no resolver, a bounded number of
/// characters, comments and processing instructions dropped, and validated against the bundled XSD while reading.
/// </summary>
public static class BankXml
{
    public const long MaxUploadBytes = 5 * 1024 * 1024;

    /// <summary>A bundled XSD (an embedded resource of this assembly), loaded once, on first use.</summary>
    public static Lazy<XmlSchemaSet> Embedded(string resource, Func<Stream, XmlSchemaSet> load) => new(() =>
    {
        using var xsd = typeof(BankXml).Assembly.GetManifestResourceStream(resource)!;
        return load(xsd);
    });

    /// <summary>
    /// An uploaded bank file: sent as application/xml (else 415), read up to <see cref="MaxUploadBytes"/> (413 beyond), parsed
    /// by <paramref name="parse"/>; a refused file is 400 naming why (413 when too large). Nothing is imported then.
    /// </summary>
    public static async Task<T> ReadUpload<T>(HttpContext http, string noun, string format, Func<Stream, T> parse, CancellationToken ct)
    {
        if (!(http.Request.ContentType ?? "").Contains("xml", StringComparison.OrdinalIgnoreCase))
            throw ProblemException.Of(415, ProblemTypes.UnsupportedMediaType, $"Send the {noun} ({format}) as application/xml.");
        await using var body = await Uploads.Read(http, MaxUploadBytes, ct);
        try
        {
            return parse(body);
        }
        catch (StatementRejectedException e)
        {
            throw e.Problem switch
            {
                StatementProblem.TooLarge => ProblemException.Of(413, ProblemTypes.PayloadTooLarge, e.Message),
                StatementProblem.WrongAccount => ProblemException.Rule(e.Message),
                _ => ProblemException.Of(400, ProblemTypes.MalformedRequest, $"The {noun} was not imported: {e.Message}"),
            };
        }
    }

    /// <summary>Loads a bundled, self-contained XSD (no DTD, no resolver; schema errors throw <see cref="XmlSchemaException"/>).</summary>
    public static XmlSchemaSet LoadSchema(Stream xsd, string targetNamespace, string name)
    {
        ArgumentNullException.ThrowIfNull(xsd);
        XmlSchema? schema;
        using (var reader = XmlReader.Create(xsd, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
            schema = XmlSchema.Read(reader, null);
        if (schema is null || schema.TargetNamespace != targetNamespace)
            throw new ArgumentException($"The schema is not the {name} schema (target namespace '{schema?.TargetNamespace}').", nameof(xsd));
        if (schema.Includes.Count > 0) throw new ArgumentException("The schema must be self-contained (no include/import).", nameof(xsd));
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(schema);
        set.Compile();
        return set;
    }

    /// <summary>
    /// Reads the document whole, validating it against <paramref name="schemas"/> (no inline schemas, no xsi:schemaLocation
    /// hints; a Document in a namespace without a schema in the set is read unvalidated). At most
    /// <paramref name="maxCharacters"/> characters (0: no limit). The root must be a Document in one of the kind's namespaces.
    /// </summary>
    public static XDocument Load(Stream xml, XmlSchemaSet schemas, long maxCharacters, BankFileKind kind)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = maxCharacters, MaxCharactersFromEntities = maxCharacters,
            IgnoreComments = true, IgnoreProcessingInstructions = true, IgnoreWhitespace = !kind.KeepWhitespace,
            ValidationType = ValidationType.Schema, Schemas = schemas,
            ValidationFlags = XmlSchemaValidationFlags.ProcessIdentityConstraints | XmlSchemaValidationFlags.AllowXmlAttributes,
        };
        settings.ValidationEventHandler += static (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error)
                throw new StatementRejectedException(StatementProblem.SchemaInvalid,
                    $"Schema validation failed at line {e.Exception.LineNumber}, position {e.Exception.LinePosition}: {e.Message}");
        };
        var rootSeen = false;
        try
        {
            using var reader = XmlReader.Create(xml, settings);
            reader.MoveToContent();
            rootSeen = true;
            if (reader.LocalName != "Document" || !kind.Namespaces.Contains(reader.NamespaceURI))
                throw new StatementRejectedException(StatementProblem.Unsupported,
                    $"Unsupported document '{reader.LocalName}' in namespace '{reader.NamespaceURI}'; expected a {kind.Expected} Document.");
            return XDocument.Load(reader);
        }
        catch (XmlException e) when (!rootSeen && e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            throw new StatementRejectedException(StatementProblem.DtdNotAllowed, kind.DtdRefused);
        }
        catch (XmlException e)
        {
            throw new StatementRejectedException(StatementProblem.Malformed, $"The {kind.Noun} is not well-formed XML: {e.Message}");
        }
        catch (DecoderFallbackException e)
        {
            throw new StatementRejectedException(StatementProblem.Malformed, $"The {kind.Noun} has an invalid character encoding: {e.Message}");
        }
    }
}
