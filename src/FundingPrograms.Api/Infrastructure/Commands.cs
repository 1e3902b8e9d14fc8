using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.Events;
using Marten;
using Wolverine.Http;
using Wolverine.Marten;

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

    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            var cases = chain.Method.Method.GetParameters()
                .Where(p => p.IsDefined(typeof(WriteAggregateAttribute), false))
                .Select(p => p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(IEventStream<>) ? p.ParameterType.GetGenericArguments()[0] : p.ParameterType)
                .ToArray();
            if (cases.Length == 0) continue;
            if (chain.RequestType is not { } command || !typeof(IVersionedCommand).IsAssignableFrom(command))
                throw new InvalidOperationException($"{chain.Method.Method.DeclaringType?.Name}: a [WriteAggregate] command must implement IVersionedCommand.");
            foreach (var type in cases)
            {
                if (!typeof(ICase).IsAssignableFrom(type))
                    throw new InvalidOperationException($"{type.Name} is used with [WriteAggregate] and must implement ICase.");
                chain.Middleware.Add(new MethodCall(typeof(CommandGuard), CheckMethod.MakeGenericMethod(type, command)));
            }
        }
    }
}

public static class CommandGuard
{
    public static async Task Check<TCase, TCommand>(IEventStream<TCase> stream, TCommand command, HttpContext http, IDocumentSession session,
        CancellationToken ct)
        where TCase : class, ICase where TCommand : IVersionedCommand
    {
        if (stream.Aggregate is not { } found) throw ProblemException.NotFound(TCase.What);
        if (found.OwnerOrganisation is { } owner) await Access.EnsureMayAccess(Actor.From(http.User), session, owner, TCase.What, ct);
        Versioning.EnsureVersion(stream.CurrentVersion, Versioning.Expected(http, command.Version), TCase.What);
    }
}
