using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// The per-field constraints the validators enforce, declared in the document from one place (no endpoint declares them):
/// the InputGuard's character policy as a pattern on every request string, the field lengths of the <c>Check.Required</c>
/// calls, the IBAN/BIC/budget-line formats, the enums parsed from strings, and the query parameters' bounds. The contract
/// tests check this table against the validators' source and behaviour, so a changed limit fails the suite until it is
/// changed here too.
/// </summary>
public static partial class Contract
{
    /// <summary>What the InputGuard refuses in any request string besides tab/CR/LF (see <see cref="InputGuard.Invalid"/>).</summary>
    private const string Refused = @"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064"
        + @"\u2066-\u2069\uFDD0-\uFDEF\uFEFF\uFFF9-\uFFFB\uFFFE\uFFFF";

    /// <summary>Multi-line text: no control (but tab/CR/LF), invisible, direction-changing or separator characters.</summary>
    public const string MultiLineText = "^[^" + Refused + "]*$";

    /// <summary>One line of text (names, titles, IBANs, keys, ids, codes...): as <see cref="MultiLineText"/>, and no tab, CR or LF.</summary>
    public const string SingleLineText = @"^[^\t\n\r" + Refused + "]*$";

    /// <summary>Property names whose text (and everything below them) is one line: the InputGuard's list.</summary>
    public static readonly string[] SingleLineSuffixes = ["name", "title", "iban", "bic", "email", "phone", "reference", "key", "id", "code"];

    public static bool IsSingleLine(string property) => SingleLineSuffixes.Any(s => property.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>A field's declared bounds (null: nothing beyond the global ones).</summary>
    /// <param name="Required">The validator refuses the request without it (a nullable request field is optional otherwise).</param>
    public sealed record Field(int? MaxLength = null, string? Pattern = null, string[]? Enum = null, long? Minimum = null, long? Maximum = null,
        bool Required = false);

    private static readonly Field Needed = new(Required: true);

    private static Field Max(int maxLength) => new(MaxLength: maxLength);
    private static Field EnumOf<T>() where T : struct, Enum => new(Enum: [.. System.Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName)]);

    /// <summary>IBAN as the server reads it (whitespace ignored, any case; country letters, two check digits); mod 97 is checked too.</summary>
    public const string IbanPattern = @"^\s*[A-Za-z]\s*[A-Za-z](\s*[0-9]){2}[\sA-Za-z0-9]*$";
    /// <summary>BIC: 8 or 11 characters (surrounding whitespace is trimmed).</summary>
    public const string BicPattern = @"^\s*[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?\s*$";
    /// <summary>Budget line (Haushaltsstelle) like "0710/684 10" (surrounding whitespace is trimmed).</summary>
    public const string BudgetLinePattern = @"^\s*[0-9A-Za-z][0-9A-Za-z ./-]{0,39}\s*$";

    /// <summary>
    /// Request fields by (schema, property): the maximum lengths of the validators' <c>Check.Required(value, field, max)</c> calls
    /// (a length above the global Api:MaxStringLength is capped by it), formats and enums. For a dictionary of translations
    /// the bound applies to each text.
    /// </summary>
    public static readonly Dictionary<(string Schema, string Property), Field> Fields = new()
    {
        [("AddressInput", "city")] = Max(100),
        [("AddressInput", "street")] = Max(200),
        [("RegisterOrganisation", "legalName")] = Max(300),
        [("RegisterOrganisation", "legalForm")] = Max(50),
        [("ContactPersonInput", "name")] = Max(200),
        [("ContactPersonInput", "role")] = Max(100),
        [("ContactPersonInput", "email")] = Max(254),
        [("BankAccountInput", "holderName")] = Max(70),
        [("BankAccountInput", "iban")] = new(MaxLength: 70, Pattern: IbanPattern),
        [("BankAccountInput", "bic")] = new(MaxLength: 20, Pattern: BicPattern),
        [("RequestBankAccountChange", "holderName")] = Max(70),
        [("RequestBankAccountChange", "iban")] = new(MaxLength: 70, Pattern: IbanPattern),
        [("ChooseOrganisationLanguage", "language")] = new(Enum: ["de", "en", "tr", "ar", "uk", "ru", "fa"]),
        [("RequestBankAccountChange", "bic")] = new(MaxLength: 20, Pattern: BicPattern),
        [("VerifyOrganisation", "evidence")] = Max(4000),
        [("ErasePersonalData", "reason")] = Max(2000),
        [("ApplicationInput", "title")] = Max(300),
        [("ApplicationInput", "summary")] = Max(2000),
        [("ApplicationInput", "description")] = Max(50_000),
        [("CostItemInput", "description")] = Max(500),
        [("CostItemInput", "post")] = Max(200),
        [("CostItemInput", "category")] = EnumOf<Applications.CostCategory>(),
        [("ThirdPartyFundInput", "source")] = Max(300),
        [("ApproveEarlyStart", "reason")] = Max(2000),
        [("AssessApplication", "reasons")] = Max(4000),
        [("ApproveApplication", "budgetLine")] = Max(40),
        [("ApproveApplication", "conditions")] = Max(20_000),
        [("ApproveApplication", "generalConditionsVersion")] = Max(100),
        [("AcknowledgementInput", "findingId")] = Max(300),
        [("AcknowledgementInput", "reason")] = Max(2000),
        [("RejectApplication", "reasons")] = Max(4000),
        [("AmendGrant", "reason")] = Max(2000),
        [("ProgrammeInput", "name")] = Max(300),
        [("ProgrammeInput", "description")] = Max(20_000),
        [("ProgrammeDefinition", "name")] = Max(300),
        [("ProgrammeDefinition", "description")] = Max(20_000),
        [("LegalBasisInput", "guideline")] = Max(500),
        [("AssessmentCriterionInput", "key")] = Max(50),
        [("AssessmentCriterionInput", "name")] = Max(300),
        [("ProgrammeStep", "reason")] = Max(2000),
        [("OpenCall", "title")] = Max(300),
        [("OpenCall", "description")] = Max(20_000),
        [("CloseCall", "reason")] = Max(2000),
        [("ChangeBudget", "budgetLine")] = new(MaxLength: 40, Pattern: BudgetLinePattern),
        [("ChangeBudget", "reason")] = Max(2000),
        [("ConvertCommitmentAppropriation", "budgetLine")] = Max(40),
        [("ConvertCommitmentAppropriation", "reason")] = Max(2000),
        [("RequestPayment", "purpose")] = Max(500),
        [("RefuseDrawdown", "reason")] = Max(2000),
        [("MatchStatementEntry", "entryKey")] = Max(200),
        [("MatchStatementEntry", "reason")] = Max(2000),
        [("ExplainStatementEntry", "entryKey")] = Max(200),
        [("ExplainStatementEntry", "reason")] = Max(2000),
        [("ReceiptInput", "number")] = Max(50),
        [("ReceiptInput", "payee")] = Max(200),
        [("ReceiptInput", "purpose")] = Max(500),
        [("ExamineProof", "note")] = Max(20_000),
        [("DraftProof", "kind")] = EnumOf<Proofs.ProofKind>(),
        [("StartExamination", "depth")] = EnumOf<Proofs.ExaminationDepth>(),
        [("RulingInput", "ruling")] = EnumOf<Proofs.ReceiptRuling>(),
        [("FreezeReportEdition", "title")] = Max(300),
        [("PlaceLegalHold", "reason")] = Max(2000),
        [("LiftLegalHold", "reason")] = Max(2000),
        [("RaiseRecoveryClaim", "reason")] = Max(2000),
        [("AgreeInstalments", "reason")] = Max(2000),
        [("DeferClaim", "reason")] = Max(2000),
        [("DispenseWithHearing", "reason")] = Max(2000),
        [("EnterBaseRate", "publication")] = Max(500),
        [("ProposeRevocation", "reasons")] = Max(20_000),
        [("WaiveIdleInterest", "reason")] = Max(2000),
        [("ProposeRevocation", "legalBasis")] = Max(500),
        [("ProposeRevocation", "scope")] = EnumOf<Recovery.RevocationScope>(),
        [("ProposeWaiver", "reason")] = Max(2000),
        [("ProposeWaiver", "kind")] = EnumOf<Recovery.WaiverKind>(),
        [("RecordClaimPayment", "reason")] = Max(2000),
        [("RecordHearingReply", "summary")] = Max(20_000),
        [("RecordRevocationFacts", "facts")] = Max(5000),
        [("RecordRevocationFacts", "evidence")] = Max(2000),
        [("SendHearingLetter", "text")] = Max(20_000),
        // Objects the validators require (a draft's content is optional: DraftApplication starts empty).
        [("EditApplication", "content")] = Needed,
        [("ReviseProgramme", "definition")] = Needed,
        [("RegisterOrganisation", "address")] = Needed,
        [("RegisterOrganisation", "bankAccount")] = Needed,
        [("ProgrammeInput", "legalBasis")] = Needed,
    };

    /// <summary>
    /// Query parameters by name (and path, where the same name means different things): what the endpoints check. Query
    /// strings are bounded by the request target limit (414 above <see cref="ServerLimits.MaxTargetLength"/> characters).
    /// </summary>
    public static readonly (Regex? Path, string Name, Field Field)[] Parameters =
    [
        (null, "page", new(Minimum: 1, Maximum: 100_000)),
        (null, "pageSize", new(Minimum: 1, Maximum: Page<object>.MaxPageSize)),
        (new("^/inbox$"), "limit", new(Minimum: 1, Maximum: 200)),
        (new("^/audit/events$"), "limit", new(Minimum: 1, Maximum: 500)),
        (null, "format", new(Enum: Reports.Export.Formats)),
        (null, "separator", new(Enum: ["comma", "semicolon"])),
        (null, "groupBy", new(Pattern: CommaSeparated(Reports.Funding.Dimensions))),
        (null, "measure", new(Pattern: CommaSeparated(Reports.Funding.AllMeasures))),
        (new("^/reports/coverage"), "dimension", new(Enum: Reports.Coverage.Dimensions)),
        (new("^/proof-worklist$"), "status", new(Enum: ["due", "overdue", "submitted", "returned", "inExamination", "examined"])),
        (new("^/inbox$"), "sort", new(Enum: ["oldest", "newest"])),
        (new("^/inbox$"), "cursor", new(MaxLength: 18, Pattern: "^[1-9][0-9]{0,17}$")),
        (new("^/audit/events$"), "cursor", new(MaxLength: 18, Pattern: "^[0-9]{1,18}$")),
        (new("^/audit/events$"), "type", new(Enum: [.. EventCatalogue.All.Select(e => e.Name)])),
        (new("^/proofs/"), "fileName", new(MaxLength: 200, Pattern: @"^(?!\s*$)[^/\\\u0000-\u001F\u007F-\u009F]+$")),
        (new("^/(catalogue/programmes|inbox)$"), "district", new(Enum: [.. ReferenceData.ReferenceCatalogue.Instance.Districts.Select(d => d.Code)])),
        (new("^/(catalogue/programmes|inbox)$"), "organisationType", new(Enum: [.. ReferenceData.ReferenceCatalogue.Instance.OrganisationTypes.Select(d => d.Code)])),
        (new("^/catalogue/programmes$"), "targetGroup", new(Enum: [.. ReferenceData.ReferenceCatalogue.Instance.TargetGroups.Select(d => d.Code)])),
        (new("^/catalogue/programmes$"), "targetDimension", new(Enum: [.. ReferenceData.ReferenceCatalogue.Instance.TargetDimensions.Select(d => d.Code)])),
    ];

    /// <summary>Free filters: any text matches or matches nothing; the server checks no more than the request target limit.</summary>
    public static readonly string[] FreeTextParameters = ["GET /audit/events user", "GET /organisations district", "GET /organisations organisationType"];

    /// <summary>What <see cref="AsOfQuery"/> accepts.</summary>
    public const string AsOfPattern = @"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$";

    private static string CommaSeparated(IEnumerable<string> values)
    {
        var one = "(" + string.Join("|", values.Select(Regex.Escape)) + ")";
        return $"^{one}(,{one})*$";
    }

    /// <summary>Applies <see cref="Fields"/> and the text patterns to the request schemas, and <see cref="Parameters"/> to the operations.</summary>
    private static void DeclareFields(OpenApiDocument doc, HashSet<string> requestSchemas)
    {
        var schemas = doc.Components!.Schemas!;
        foreach (var ((schemaName, property), field) in Fields)
        {
            if (!schemas.TryGetValue(schemaName, out var candidate) || candidate is not OpenApiSchema schema
                || schema.Properties?.TryGetValue(property, out var p) != true || (p is not OpenApiSchema && !field.Required))
                throw new InvalidOperationException($"Contract.Fields names {schemaName}.{property}, which the document does not have: update the table.");
            if (field.Required)
            {
                schema.Required ??= new HashSet<string>();
                schema.Required.Add(property);
            }
            // A dictionary of translations: the bound applies to each text.
            if (p is not OpenApiSchema target) continue;
            if (target.AdditionalProperties is OpenApiSchema text) target = text;
            Apply(target, field);
        }
        foreach (var name in requestSchemas)
            if (schemas.TryGetValue(name, out var candidate) && candidate is OpenApiSchema schema)
                Patterns(schema, singleLine: false);
        foreach (var operation in doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
            foreach (var media in operation.RequestBody?.Content?.Values.AsEnumerable() ?? [])
                if (media.Schema is OpenApiSchema inline && inline.Format != "binary") Patterns(inline, singleLine: false);

        foreach (var (path, item) in doc.Paths)
            foreach (var (method, operation) in item.Operations ?? [])
                foreach (var parameter in operation.Parameters ?? [])
                {
                    if (parameter is not OpenApiParameter { Schema: OpenApiSchema schema } p) continue;
                    if (p.Name == AsOfQuery.Name && p.In == ParameterLocation.Query)
                    {
                        // ISO 8601 only (AsOfQuery): a date or a date-time, with or without an offset (without: Europe/Berlin time).
                        schema.Format = null;
                        schema.Type = JsonSchemaType.String;
                        schema.MaxLength = 40;
                        schema.Pattern = AsOfPattern;
                        p.Description = "The instant the answer is as of, ISO 8601 only: a date (2027-03-02, its midnight in Berlin), a date-time "
                            + "(2027-03-02T12:00 or 2027-03-02T12:00:00.5) or either with an offset (2027-03-02T12:00:00Z, +01:00). Without an "
                            + "offset the time is Europe/Berlin local time. Any other form (e.g. 3.2.2027) is 400.";
                        continue;
                    }
                    if (p.In == ParameterLocation.Query && schema.Type is { } t && t.HasFlag(JsonSchemaType.String) && schema.Format is null or "")
                        schema.MaxLength = ServerLimits.MaxTargetLength;
                    foreach (var (pattern, name, field) in Parameters)
                        if (name == p.Name && (pattern is null || pattern.IsMatch(path)))
                        {
                            Apply(schema, field);
                            break;
                        }
                }
    }

    private static void Apply(OpenApiSchema schema, Field field)
    {
        if (field.MaxLength is { } max) schema.MaxLength = Math.Min(max, schema.MaxLength ?? int.MaxValue);
        if (field.Pattern is { } pattern) schema.Pattern = pattern;
        if (field.Enum is { } values)
        {
            // The validators refuse a missing value of an enum field too: a plain string, never null.
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v)!)];
            schema.Type = JsonSchemaType.String;
            schema.MaxLength = null;
            schema.Pattern = null;
        }
        if (field.Minimum is { } min) schema.Minimum = min.ToString(CultureInfo.InvariantCulture);
        if (field.Maximum is { } most) schema.Maximum = most.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Every free string of a request schema gets the InputGuard's character policy (one line below single-line names).</summary>
    private static void Patterns(OpenApiSchema schema, bool singleLine)
    {
        if (schema.Type is { } t && t.HasFlag(JsonSchemaType.String) && schema.Pattern is null && schema.Enum is not { Count: > 0 }
            && schema.Const is null && schema.Format is null or "")
            schema.Pattern = singleLine ? SingleLineText : MultiLineText;
        foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            if (property is OpenApiSchema inline) Patterns(inline, singleLine || IsSingleLine(name));
        if (schema.Items is OpenApiSchema items) Patterns(items, singleLine);
        if (schema.AdditionalProperties is OpenApiSchema additional) Patterns(additional, singleLine);
    }
}
