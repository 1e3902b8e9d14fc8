using System.Globalization;
using System.Text.RegularExpressions;
using FundingPrograms.Applications;

namespace FundingPrograms.Grants;

/// <summary>
/// One possible double funding. <c>Kind</c>: <c>overlap</c> (the same cost item or post of the same organisation),
/// <c>overfunded</c> (an item funded above 100 % across applications), <c>similar-purpose</c> (the same organisation's
/// purpose worded differently) or <c>same-post</c> (a post naming its holder in another organisation's application).
/// <c>Description</c> says why it was raised; <c>Similarity</c> is the trigram similarity (0–1) where one was measured.
/// </summary>
public sealed record DoubleFundingFinding(
    string Id,
    string Kind,
    string Description,
    CostCategory? Category,
    string Purpose,
    Guid? OtherApplicationId,
    Guid? OtherProgrammeId,
    string? OtherTitle,
    ApplicationState? OtherState,
    decimal? Similarity = null,
    Guid? OtherOrganisationId = null,
    string? OtherOrganisationName = null,
    DateOnly? OverlapFrom = null,
    DateOnly? OverlapTo = null);

/// <summary>Another application whose purpose (title and summary) is similar, with the trigram similarity measured by PostgreSQL (pg_trgm).</summary>
public sealed record PurposeMatch(Application Other, double Similarity, double ItemsSimilarity = 0);

/// <summary>A post of this application found, by trigram similarity, in another organisation's application.</summary>
public sealed record PostMatch(string Post, Application Other, string OtherPost, double Similarity);

/// <summary>
/// The double-funding check (strategy: "Doppelförderungen"): the same organisation funded, or applying, for the same
/// purpose (cost category, and for staff the same post) over overlapping periods in any programme; and a cost item
/// funded above 100 % across them. Across the whole register also: the same organisation's purpose under a differently
/// worded title and summary (pg_trgm similarity ≥ 0.6), and a post naming its holder ("Projektleitung, Frau A. B.") in
/// another organisation's application (similarity ≥ 0.8), each for overlapping periods. Every finding must be
/// acknowledged with a reason before approval.
/// </summary>
public static partial class DoubleFunding
{
    /// <summary>Title and summary at least this similar (pg_trgm <c>similarity</c>) count as the same purpose.</summary>
    public const double PurposeThreshold = 0.6;

    /// <summary>Posts naming their holder at least this similar count as the same post.</summary>
    public const double PostThreshold = 0.8;

    private static readonly ApplicationState[] Live =
        [ApplicationState.Submitted, ApplicationState.ReturnedForCompletion, ApplicationState.FormallyChecked, ApplicationState.Assessed, ApplicationState.Approved];

    public static async Task<IReadOnlyList<DoubleFundingFinding>> Find(IQuerySession session, Application application, CancellationToken ct)
    {
        var others = await session.Query<Application>()
            .Where(a => a.OrganisationId == application.OrganisationId && a.Id != application.Id).ToListAsync(ct);
        var purposes = await SimilarPurposes(session, application, ct);
        var posts = await SamePosts(session, application, ct);
        return Findings(application, others.Where(a => Live.Contains(a.State)).ToList(), purposes, posts);
    }

    /// <summary>
    /// The same organisation's applications with a similar purpose: the organisation's applications (its index) with their texts,
    /// each purpose compared whole (<c>similarity ≥ threshold</c>). An organisation has a few dozen applications, so no trigram
    /// index is needed here, and none is kept up to date for it.
    /// </summary>
    private static async Task<IReadOnlyList<PurposeMatch>> SimilarPurposes(IQuerySession session, Application application, CancellationToken ct)
    {
        if (PurposeText(application.Content) is not { } text) return [];
        var rows = await Read(session, $"""
            select d.id, similarity(t.purpose_text, $1), similarity($2, t.items_text)
            from {Table(session)} d join {ApplicationTexts.Qualified(session)} t on t.id = d.id
            where d.organisation_id = $5 and d.id <> $4 and similarity(t.purpose_text, $1) >= $3
            """, r => (Id: r.GetGuid(0), Similarity: (double)r.GetFloat(1), Items: (double)r.GetFloat(2)), ct,
            text, ItemsText(application.Content), PurposeThreshold, application.Id, application.OrganisationId);
        var documents = await Documents(session, rows.Select(r => r.Id), ct);
        return rows.Where(r => documents.ContainsKey(r.Id)).Select(r => new PurposeMatch(documents[r.Id], r.Similarity, r.Items)).ToList();
    }

    /// <summary>
    /// Other organisations' applications with one of this application's holder-naming posts: <c>$1 &lt;&lt;% held_posts</c>
    /// (strict word similarity ≥ the post threshold, set for this transaction) is answered by the GIN trigram index on
    /// <c>held_posts</c>; each candidate post is then compared whole.
    /// </summary>
    private static async Task<IReadOnlyList<PostMatch>> SamePosts(IQuerySession session, Application application, CancellationToken ct)
    {
        var matches = new List<PostMatch>();
        foreach (var post in HeldPosts(application.Content))
        {
            var rows = await Read(session, $"""
                select t.id, p.post, similarity(p.post, $1)
                from {ApplicationTexts.Qualified(session)} t join {Table(session)} d on d.id = t.id
                cross join lateral unnest(string_to_array(t.held_posts, $2)) as p(post)
                where $1 <<% t.held_posts and similarity(p.post, $1) >= $3 and d.organisation_id <> $4
                """, r => (Id: r.GetGuid(0), Post: r.GetString(1), Similarity: (double)r.GetFloat(2)), ct,
                post, PostSeparator, PostThreshold, application.OrganisationId);
            var documents = await Documents(session, rows.Select(r => r.Id), ct);
            matches.AddRange(rows.Where(r => documents.ContainsKey(r.Id)).Select(r => new PostMatch(post, documents[r.Id], r.Post, r.Similarity)));
        }
        return matches;
    }

    /// <summary>
    /// Runs a trigram query in its own read-only transaction with pg_trgm's word threshold set to ours (SET LOCAL), so that the
    /// GIN index itself applies it to the posts instead of returning every candidate above pg_trgm's default (0.5).
    /// </summary>
    private static async Task<List<T>> Read<T>(IQuerySession session, string sql, Func<Npgsql.NpgsqlDataReader, T> read, CancellationToken ct,
        params object[] parameters)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        await using (var set = new Npgsql.NpgsqlCommand(
            "select set_config('pg_trgm.strict_word_similarity_threshold', $1, true)", connection, transaction))
        {
            set.Parameters.Add(new Npgsql.NpgsqlParameter { Value = PostThreshold.ToString(CultureInfo.InvariantCulture) });
            await set.ExecuteNonQueryAsync(ct);
        }
        await using var command = new Npgsql.NpgsqlCommand(sql, connection, transaction);
        foreach (var p in parameters) command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = p });
        var rows = new List<T>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        await transaction.CommitAsync(ct);
        return rows;
    }

    private static async Task<Dictionary<Guid, Application>> Documents(IQuerySession session, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToArray();
        return distinct.Length == 0 ? [] : (await session.LoadManyAsync<Application>(ct, distinct)).ToDictionary(a => a.Id);
    }

    private static string Table(IQuerySession session) =>
        session.DocumentStore.Options.FindOrResolveDocumentType(typeof(Application)).TableName.QualifiedName;

    /// <summary>What an application is for, as compared across the register: title and summary, lower case, single spaces.</summary>
    public static string? PurposeText(ApplicationContent? content)
    {
        var text = Normalise($"{content?.Title} {content?.Summary}");
        return text.Length == 0 ? null : text;
    }

    /// <summary>The cost items' descriptions in one text (pg_trgm compares word trigrams, so their order does not matter).</summary>
    public static string ItemsText(ApplicationContent? content) => string.Join(' ', (content?.CostItems ?? []).Select(i => i.Description));

    public const string PostSeparator = " | ";

    /// <summary>The staff posts that name their holder (a person), normalised; generic position titles are each organisation's own.</summary>
    public static IReadOnlyList<string> HeldPosts(ApplicationContent? content) =>
        (content?.CostItems ?? []).Where(i => i.Category == CostCategory.Staff && i.Post is not null)
            .Select(i => Normalise(i.Post!)).Where(NamesHolder).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The holder-naming posts in one text (indexed with pg_trgm), or null.</summary>
    public static string? HeldPostsText(ApplicationContent? content)
    {
        var posts = HeldPosts(content);
        return posts.Count == 0 ? null : string.Join(PostSeparator, posts);
    }

    /// <summary>
    /// A post names its holder when it adds a person to the position: after a comma ("Projektleitung, Frau A. B.") or with a
    /// salutation or title (Frau, Herr, Dr.). "Projektkoordination" alone is a position every organisation may have.
    /// </summary>
    public static bool NamesHolder(string post)
    {
        var p = Normalise(post);
        var comma = p.IndexOf(',');
        return (comma > 0 && comma < p.Length - 1 && p[(comma + 1)..].Any(char.IsLetter)) || Salutation().IsMatch(p);
    }

    [GeneratedRegex(@"(^|[^\p{L}])(frau|herr|hr\.|fr\.|dr\.)($|[^\p{L}])", RegexOptions.CultureInvariant)]
    private static partial Regex Salutation();

    private static string Normalise(string text) =>
        string.Join(' ', text.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace(PostSeparator.Trim(), "/");

    /// <summary>A short, stable key for a purpose inside finding ids.</summary>
    private static string Key(string purpose) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(purpose)))[..16].ToLowerInvariant();

    private static string Purpose(CostItem item) => (item.Category == CostCategory.Staff ? item.Post ?? item.Description : item.Description).Trim().ToLowerInvariant();

    /// <summary>The share of its costs an application is funded with (granted amount once approved).</summary>
    private static decimal FundedShare(Application a)
    {
        var total = a.Content.CostItems.Sum(i => i.Amount);
        var funded = a.Decision?.GrantedAmount ?? a.Content.RequestedAmount ?? 0;
        return total == 0 ? 0 : funded / total;
    }

    private static bool Overlap(ApplicationContent a, ApplicationContent b) =>
        a.PeriodStart is { } s1 && a.PeriodEnd is { } e1 && b.PeriodStart is { } s2 && b.PeriodEnd is { } e2 && s1 <= e2 && s2 <= e1;

    private static string Percent(double similarity) => ((int)Math.Floor(similarity * 100 + 1e-9)).ToString(CultureInfo.InvariantCulture);

    private static string Months(DateOnly from, DateOnly to) => $"{from:yyyy-MM}..{to:yyyy-MM}";

    private static string Funded(Application other) => other.State == ApplicationState.Approved ? "funded" : $"applied for ({other.State.ToString().ToLowerInvariant()})";

    public static IReadOnlyList<DoubleFundingFinding> Findings(Application application, IReadOnlyList<Application> others) =>
        Findings(application, others, [], []);

    public static IReadOnlyList<DoubleFundingFinding> Findings(Application application, IReadOnlyList<Application> others,
        IReadOnlyList<PurposeMatch> purposes, IReadOnlyList<PostMatch> posts)
    {
        var findings = new List<DoubleFundingFinding>();
        foreach (var item in application.Content.CostItems.DistinctBy(i => (i.Category, Purpose(i))))
        {
            var purpose = Purpose(item);
            var matches = others.Where(o => Overlap(application.Content, o.Content)
                && o.Content.CostItems.Any(i => i.Category == item.Category && Purpose(i) == purpose)).ToList();
            foreach (var other in matches)
                findings.Add(new DoubleFundingFinding($"overlap:{other.Id:N}:{item.Category.ToString().ToLowerInvariant()}:{Key(purpose)}", "overlap",
                    $"'{other.Content.Title}' ({other.State}) funds the same {item.Category.ToString().ToLowerInvariant()} item '{purpose}' " +
                    $"for an overlapping period ({other.Content.PeriodStart:yyyy-MM-dd} – {other.Content.PeriodEnd:yyyy-MM-dd}).",
                    item.Category, purpose, other.Id, other.ProgrammeId, other.Content.Title, other.State));
            var share = FundedShare(application) + matches.Sum(FundedShare);
            if (matches.Count > 0 && share > 1)
                findings.Add(new DoubleFundingFinding($"overfunded:{item.Category.ToString().ToLowerInvariant()}:{Key(purpose)}", "overfunded",
                    $"Together the applications fund the item '{purpose}' at {decimal.Round(share * 100, 1)} % of its costs (more than 100 %).",
                    item.Category, purpose, null, null, null, null));
        }

        var own = application.Content;
        // The same organisation's purpose, worded differently: similar title and summary, overlapping periods.
        foreach (var match in purposes
                     .Where(m => m.Other.Id != application.Id && m.Other.OrganisationId == application.OrganisationId && Live.Contains(m.Other.State)
                         && m.Similarity >= PurposeThreshold && Overlap(own, m.Other.Content))
                     .DistinctBy(m => m.Other.Id).OrderByDescending(m => m.Similarity).ThenBy(m => m.Other.Id))
        {
            var o = match.Other.Content;
            var items = SimilarItems(own, o);
            findings.Add(new DoubleFundingFinding($"similar-purpose:{match.Other.Id:N}", "similar-purpose",
                $"Purpose {Percent(match.Similarity)} % similar to application '{o.Title}' of the same organisation, {Funded(match.Other)} " +
                $"{Months(o.PeriodStart!.Value, o.PeriodEnd!.Value)}; cost items {Percent(match.ItemsSimilarity)} % similar" +
                (items.Length > 0 ? $" (the same: {string.Join(", ", items)})." : "."),
                null, PurposeText(own) ?? "", match.Other.Id, match.Other.ProgrammeId, o.Title, match.Other.State, Rounded(match.Similarity),
                match.Other.OrganisationId, match.Other.OrganisationName, Max(own.PeriodStart!.Value, o.PeriodStart.Value), Min(own.PeriodEnd!.Value, o.PeriodEnd.Value)));
        }

        // The same post (a named holder) in another organisation's application for an overlapping period.
        foreach (var match in posts
                     .Where(m => m.Other.OrganisationId != application.OrganisationId && Live.Contains(m.Other.State)
                         && m.Similarity >= PostThreshold && Overlap(own, m.Other.Content))
                     .DistinctBy(m => (m.Post, m.Other.Id)).OrderBy(m => m.Post, StringComparer.Ordinal).ThenBy(m => m.Other.Id))
        {
            var o = match.Other.Content;
            var from = Max(own.PeriodStart!.Value, o.PeriodStart!.Value);
            var to = Min(own.PeriodEnd!.Value, o.PeriodEnd!.Value);
            var same = match.Similarity >= 0.999 ? "" : $" ({Percent(match.Similarity)} % similar: '{match.OtherPost}')";
            findings.Add(new DoubleFundingFinding($"same-post:{match.Other.Id:N}:{Key(match.Post)}", "same-post",
                $"Post '{match.Post}' also in application '{o.Title}' of organisation {match.Other.OrganisationName}{same}, {Funded(match.Other)}, " +
                $"periods overlap {Months(from, to)}.",
                CostCategory.Staff, match.Post, match.Other.Id, match.Other.ProgrammeId, o.Title, match.Other.State, Rounded(match.Similarity),
                match.Other.OrganisationId, match.Other.OrganisationName, from, to));
        }
        return findings;
    }

    /// <summary>Cost items of both plans with the same description or post (normalised), named in the purpose finding's reason.</summary>
    private static string[] SimilarItems(ApplicationContent own, ApplicationContent other) =>
        own.CostItems.Select(Purpose).Intersect(other.CostItems.Select(Purpose)).Order(StringComparer.Ordinal).Select(p => $"'{p}'").ToArray();

    private static decimal Rounded(double similarity) => decimal.Round((decimal)similarity, 2);

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}

public static class GetDoubleFundingEndpoint
{
    [WolverineGet("/applications/{id}/double-funding", OperationId = "GetDoubleFundingFindings"), Authorize(Roles = Roles.Staff)]
    [Tags("Decisions"), EndpointSummary("Double-funding findings the approver must acknowledge before approval")]
    public static async Task<IReadOnlyList<DoubleFundingFinding>> Get(Guid id, IQuerySession session, CancellationToken ct)
    {
        var application = await session.LoadAsync<Application>(id, ct) ?? throw ProblemException.NotFound(ApplicationAccess.What);
        return await DoubleFunding.Find(session, application, ct);
    }
}
