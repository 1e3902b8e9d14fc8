using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FundingPrograms.Infrastructure;

public static class Roles
{
    public const string Applicant = "applicant";
    public const string Officer = "officer";
    public const string Approver = "approver";
    public const string Finance = "finance";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    /// <summary>Every role: for reads that any signed-in user may make.</summary>
    public const string Any = "applicant,officer,approver,finance,auditor,admin";
    /// <summary>Ministry staff who run programmes and cases (admin included).</summary>
    public const string Officers = "officer,admin";
    /// <summary>Staff who may read internal data without changing it.</summary>
    public const string Staff = "officer,approver,finance,auditor,admin";
    /// <summary>Applicants (for their own organisation) and officers.</summary>
    public const string ApplicantsAndOfficers = "applicant,officer,admin";
    /// <summary>Officers and approvers (admin included): e.g. proposing a grant amendment.</summary>
    public const string OfficersAndApprovers = $"{Officer},{Approver},{Admin}";
    /// <summary>Approvers (admin included): decisions under the four-eyes principle.</summary>
    public const string Approvers = $"{Approver},{Admin}";
    /// <summary>Finance staff (admin included).</summary>
    public const string FinanceStaff = $"{Finance},{Admin}";
    /// <summary>Finance staff and auditors (admin included): finance read models.</summary>
    public const string FinanceReaders = $"{Finance},{Auditor},{Admin}";
    /// <summary>Officers and finance staff (admin included).</summary>
    public const string OfficersAndFinance = $"{Officer},{Finance},{Admin}";

    /// <summary>Who may place and lift legal holds and read retention: officers and auditors.</summary>
    public const string OfficersAndAuditors = $"{Officer},{Auditor},{Admin}";

    /// <summary>The audit trail, chain verification and dossiers.</summary>
    public const string Auditors = $"{Auditor},{Admin}";
}

/// <summary>Claim names in our tokens. An OIDC provider maps its claims onto these.</summary>
public static class Claims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string Organisation = "org";
}

/// <summary>The acting user, as every event records it.</summary>
public sealed record Actor(string Id, string Name, IReadOnlyList<string> Roles, Guid? OrganisationId)
{
    public static readonly Actor System = new("system", "System", [], null);

    public bool Is(string role) => Roles.Contains(role);
    /// <summary>
    /// An applicant without any staff role: sees only its own organisation's data. Other claims an identity provider
    /// adds to the roles (e.g. offline_access) do not make anyone staff.
    /// </summary>
    public bool IsApplicant => Is(FundingPrograms.Infrastructure.Roles.Applicant) && !Roles.Any(r => StaffRoles.Contains(r));

    private static readonly string[] StaffRoles =
        [FundingPrograms.Infrastructure.Roles.Officer, FundingPrograms.Infrastructure.Roles.Approver, FundingPrograms.Infrastructure.Roles.Finance,
         FundingPrograms.Infrastructure.Roles.Auditor, FundingPrograms.Infrastructure.Roles.Admin];

    public static Actor From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(Claims.Subject) ?? "anonymous";
        var name = principal.FindFirstValue(Claims.Name) ?? id;
        var roles = principal.FindAll(Claims.Role).Select(c => c.Value).ToArray();
        var org = Guid.TryParse(principal.FindFirstValue(Claims.Organisation), out var o) ? o : (Guid?)null;
        return new Actor(id, name, roles, org);
    }
}

public sealed class AuthOptions
{
    /// <summary>Production: the OIDC authority (e.g. a Keycloak realm URL). Empty means development signing key.</summary>
    public string? Authority { get; set; }
    public string Audience { get; set; } = "fundingprograms";
    public string Issuer { get; set; } = "fundingprograms-dev";
    /// <summary>Development: HMAC-SHA256 key, at least 32 bytes.</summary>
    public string? SigningKey { get; set; }
    public bool RequireHttpsMetadata { get; set; } = true;
}

public static class AuthSetup
{
    public static IServiceCollection AddFundingAuth(this IServiceCollection services)
    {
        // Read lazily: configuration given by a test host or the environment is complete only at resolve time.
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions());
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<AuthOptions>((o, auth) =>
        {
            o.MapInboundClaims = false;
            o.Audience = auth.Audience;
            o.TokenValidationParameters.NameClaimType = Claims.Subject;
            o.TokenValidationParameters.RoleClaimType = Claims.Role;
            o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            if (!string.IsNullOrWhiteSpace(auth.Authority))
            {
                o.Authority = auth.Authority;
                o.RequireHttpsMetadata = auth.RequireHttpsMetadata;
            }
            else
            {
                o.TokenValidationParameters.ValidIssuer = auth.Issuer;
                o.TokenValidationParameters.ValidAudience = auth.Audience;
                o.TokenValidationParameters.IssuerSigningKey = DevTokens.Key(auth);
            }
            // The problem+json bodies for 401/403 are written by the status code pages middleware.
        });
        services.AddAuthorization();
        return services;
    }
}

/// <summary>Development tokens, signed with the configured symmetric key (ops/token does the same in bash).</summary>
public static class DevTokens
{
    public static SymmetricSecurityKey Key(AuthOptions auth)
    {
        if (string.IsNullOrWhiteSpace(auth.SigningKey) || Encoding.UTF8.GetByteCount(auth.SigningKey) < 32)
            throw new InvalidOperationException("Auth:SigningKey must be set to at least 32 bytes when Auth:Authority is empty.");
        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey));
    }

    public static string Create(AuthOptions auth, string subject, string name, IEnumerable<string> roles, Guid? organisation = null,
        DateTimeOffset? now = null, TimeSpan? lifetime = null)
    {
        var issued = now ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            [Claims.Subject] = subject,
            [Claims.Name] = name,
            [Claims.Role] = roles.ToArray(),
        };
        if (organisation is { } org) claims[Claims.Organisation] = org.ToString();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Claims = claims,
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime.AddMinutes(-1),
            Expires = issued.Add(lifetime ?? TimeSpan.FromHours(8)).UtcDateTime,
            SigningCredentials = new SigningCredentials(Key(auth), SecurityAlgorithms.HmacSha256),
        });
    }
}
