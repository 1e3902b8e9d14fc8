using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.Events;

namespace FundingPrograms.Infrastructure;

/// <summary>A stream that commands change through Wolverine's aggregate workflow (<c>[WriteAggregate]</c>).</summary>
public interface ICase
{
    /// <summary>How problems name the case, e.g. "The application".</summary>
    static abstract string What { get; }

    Guid Id { get; }

    long Version { get; }

    /// <summary>The organisation whose case this is; applicants of any other organisation get 404. Null: not an organisation's case.</summary>
    Guid? OwnerOrganisation { get; }
}

/// <summary>A command on an existing case: the version the client last read (or an <c>If-Match</c> header).</summary>
public interface IVersionedCommand
{
    long? Version { get; }
}

/// <summary>
/// The one place where a command meets its case: after Wolverine loaded the stream of every <c>[WriteAggregate]</c> parameter,
/// <see cref="CommandGuard.Check{TCase,TCommand}"/> answers 404 for a missing case or another organisation's (before any version is
/// revealed), 428 without an expected version and 409 naming both versions when it is stale. Then the endpoint's pure decider runs.
/// </summary>
public sealed class CommandGuardPolicy : IHttpPolicy
{
    private static readonly MethodInfo CheckMethod = typeof(CommandGuard).GetMethod(nameof(CommandGuard.Check))!;
    private static readonly MethodInfo CheckUploadMethod = typeof(CommandGuard).GetMethod(nameof(CommandGuard.CheckUpload))!;

    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            // Only the first [WriteAggregate] is the command's case; further streams are the endpoint's business (locks, budget).
            var parameter = chain.Method.Method.GetParameters().FirstOrDefault(p => p.IsDefined(typeof(WriteAggregateAttribute), false));
            if (parameter is null) continue;
            var type = parameter.ParameterType is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(IEventStream<>)
                ? t.GetGenericArguments()[0]
                : parameter.ParameterType;
            var where = chain.Method.Method.DeclaringType?.Name;
            if (!typeof(ICase).IsAssignableFrom(type))
                throw new InvalidOperationException($"{where}: {type.Name} is used with [WriteAggregate] and must implement ICase.");
            if (chain.RequestType is null || chain.RequestType == typeof(void))
                chain.Middleware.Add(new MethodCall(typeof(CommandGuard), CheckUploadMethod.MakeGenericMethod(type)));
            else if (typeof(IVersionedCommand).IsAssignableFrom(chain.RequestType))
                chain.Middleware.Add(new MethodCall(typeof(CommandGuard), CheckMethod.MakeGenericMethod(type, chain.RequestType)));
            else
                throw new InvalidOperationException($"{where}: the command {chain.RequestType.Name} must implement IVersionedCommand.");
        }
    }
}

public static class CommandGuard
{
    public static async Task Check<TCase, TCommand>(IEventStream<TCase> stream, TCommand command, HttpContext http, IDocumentSession session,
        CancellationToken ct)
        where TCase : class, ICase where TCommand : IVersionedCommand
    {
        await Visible(stream, http, session, ct);
        Versioning.EnsureVersion(stream.CurrentVersion, Versioning.Expected(http, command.Version), TCase.What);
    }

    /// <summary>For commands whose body is a file (CSV, attachment): the version comes from <c>If-Match</c> or <c>?version=</c>.</summary>
    public static async Task CheckUpload<TCase>(IEventStream<TCase> stream, HttpContext http, IDocumentSession session, CancellationToken ct)
        where TCase : class, ICase
    {
        await Visible(stream, http, session, ct);
        long? query = null;
        if (http.Request.Query.TryGetValue("version", out var raw))
            query = long.TryParse(raw.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
                : throw ProblemException.Validation(new Dictionary<string, string[]> { ["version"] = ["The version is a whole number, e.g. ?version=3."] });
        Versioning.EnsureVersion(stream.CurrentVersion, Versioning.Expected(http, query), TCase.What);
    }

    private static async Task Visible<TCase>(IEventStream<TCase> stream, HttpContext http, IDocumentSession session, CancellationToken ct)
        where TCase : class, ICase
    {
        if (stream.Aggregate is not { } found) throw ProblemException.NotFound(TCase.What);
        if (found.OwnerOrganisation is { } owner) await Access.EnsureMayAccess(Actor.From(http.User), session, owner, TCase.What, ct);
    }
}
