using System.Numerics;
using Npgsql;

namespace FundingPrograms.Infrastructure;

/// <summary>The kinds of reference a person types or a bank carries; each has its own counter per year.</summary>
public enum ReferenceKind
{
    /// <summary>Aktenzeichen of an application's file: <c>FP-2027-000042</c>, given when it is drafted.</summary>
    FileNumber,

    /// <summary>Bewilligungsnummer of a grant notice: <c>ZB-2027-000042</c>.</summary>
    GrantNotice,

    /// <summary>Number of a rejection notice: <c>AB-2027-000042</c>.</summary>
    Rejection,

    /// <summary>Kassenzeichen of a recovery claim: an ISO 11649 creditor reference, <c>RF</c> + 2 check digits + year + number (<c>RF492027000042</c>, on paper <c>RF49 2027 0000 42</c>).</summary>
    Kassenzeichen,
}

/// <summary>
/// References unique by construction (DOMAIN rule 14): a number from a PostgreSQL sequence per kind and year
/// (<c>{schema}.ref_{kind}_{year}</c>, created on first use), never derived from a clock or an id. A sequence never hands out
/// a number twice, also to parallel transactions on several nodes; a number taken by a transaction that then rolls back is
/// skipped (a gap, never a duplicate). The Kassenzeichen carries ISO 11649 check digits (mod 97, as the IBAN's) so that a
/// mistyped one in a bank file is recognised and never credited to someone else.
/// </summary>
public static class References
{
    private static string Prefix(ReferenceKind kind) => kind switch
    {
        ReferenceKind.GrantNotice => "zb",
        ReferenceKind.Rejection => "ab",
        ReferenceKind.FileNumber => "fp",
        _ => "rf",
    };

    /// <summary>The next number of the kind's sequence for the year (1, 2, ...). Runs on a connection of its own: sequences are not transactional.</summary>
    public static async Task<long> NextNumber(IQuerySession session, ReferenceKind kind, int year, CancellationToken ct)
    {
        if (year is < 2000 or > 9999) throw new ArgumentOutOfRangeException(nameof(year));
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var sequence = $"{schema}.ref_{Prefix(kind)}_{year}"; // kind from an enum, year a number: nothing of a user's goes into the name
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var next = new NpgsqlCommand($"select nextval('{sequence}')", connection);
                return (long)(await next.ExecuteScalarAsync(ct))!;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable && attempt < 3)
            {
                try
                {
                    await using var create = new NpgsqlCommand($"create schema if not exists {schema}; create sequence if not exists {sequence} as bigint start 1", connection);
                    await create.ExecuteNonQueryAsync(ct);
                }
                // Two first uses of a year at once: the other one created it (the catalogue's unique index speaks); take the next number.
                catch (PostgresException c) when (c.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject)
                {
                }
            }
        }
    }

    /// <summary>The next reference of the kind for the year of <paramref name="now"/> in Berlin.</summary>
    public static async Task<string> Next(IQuerySession session, ReferenceKind kind, DateTimeOffset now, CancellationToken ct)
    {
        var year = BerlinTime.Today(now).Year;
        return Format(kind, year, await NextNumber(session, kind, year, ct));
    }

    public static string Format(ReferenceKind kind, int year, long number) => kind switch
    {
        ReferenceKind.GrantNotice => $"ZB-{year}-{number:D6}",
        ReferenceKind.Rejection => $"AB-{year}-{number:D6}",
        ReferenceKind.FileNumber => $"FP-{year}-{number:D6}",
        _ => CreditorReference($"{year}{number:D6}"),
    };

    /// <summary>ISO 11649: <c>RF</c> + check digits + the reference body (1–21 letters or digits).</summary>
    public static string CreditorReference(string body)
    {
        if (body.Length is < 1 or > 21 || !body.All(char.IsAsciiLetterOrDigit)) throw new ArgumentException("1 to 21 letters or digits.", nameof(body));
        var upper = body.ToUpperInvariant();
        var check = 98 - Mod97(upper + "RF00");
        return $"RF{check:D2}{upper}";
    }

    /// <summary>Whether a creditor reference (spaces allowed, as on paper) has valid ISO 11649 check digits.</summary>
    public static bool IsValidCreditorReference(string reference)
    {
        var r = Normalize(reference);
        if (r.Length is < 5 or > 25 || !r.StartsWith("RF", StringComparison.Ordinal) || !char.IsAsciiDigit(r[2]) || !char.IsAsciiDigit(r[3])
            || !r.All(char.IsAsciiLetterOrDigit))
            return false;
        return Mod97(r[4..] + r[..4]) == 1;
    }

    public static string Normalize(string reference) => new(reference.Where(c => !char.IsWhiteSpace(c)).Select(char.ToUpperInvariant).ToArray());

    /// <summary>The number of the letters-as-numbers string (A = 10 … Z = 35) modulo 97, as for the IBAN (ISO 7064 MOD 97-10).</summary>
    private static int Mod97(string s)
    {
        var digits = string.Concat(s.Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString()));
        return (int)(BigInteger.Parse(digits) % 97);
    }

    /// <summary>The paper form: groups of four (<c>RF49 2027 0000 42</c>).</summary>
    public static string Grouped(string reference) => string.Join(' ', Normalize(reference).Chunk(4).Select(c => new string(c)));
}
