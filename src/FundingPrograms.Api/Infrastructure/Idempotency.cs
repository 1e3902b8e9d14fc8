using JasperFx;
using JasperFx.CodeGeneration;

namespace FundingPrograms.Infrastructure;

/// <summary>
/// An optional <c>Idempotency-Key</c> on every command (POST/PUT/PATCH/DELETE): a repeat of the same request by the same user
/// is answered with the first response, the claim written in the command's own transaction. Applied here once instead of a
/// <c>[DeduplicatedWithResponse]</c> on each endpoint; endpoints that cannot replay (file uploads, imports) opt out with
/// <see cref="WithoutIdempotencyKeyAttribute"/>.
/// </summary>
public sealed class CommandIdempotencyPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            if (!chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")) continue;
            if (chain.DeduplicatedWithResponse is not null) continue;
            if (chain.Method.Method.IsDefined(typeof(WithoutIdempotencyKeyAttribute), false)) continue;
            chain.DeduplicatedWithResponse = new DeduplicatedWithResponseRequirement
            {
                Scope = DeduplicationScope.User, Required = false, ClaimInTransaction = true,
            };
        }
    }
}

/// <summary>This command endpoint takes no Idempotency-Key (see <see cref="CommandIdempotencyPolicy"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WithoutIdempotencyKeyAttribute : Attribute;
