using System.Security.Cryptography;
using System.Text;
using FundingPrograms.Notifications;
using JasperFx.Events;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace FundingPrograms.Letters;

/// <summary>
/// The order to issue a decision's letter: the documents mapped in the decision's transaction (pure data), rendered and
/// archived by <see cref="IssueLetterHandler"/> right after that transaction commits. Stored in Wolverine's durable inbox in
/// the decision's transaction, so it is never lost (also across crashes and nodes) and handled once per letter id.
/// <para>UserId, UserName, CorrelationId and CausationId are the decision's, stamped on the <see cref="LetterIssued"/> event as before.</para>
/// </summary>
public sealed record IssueLetter(
    Guid LetterId,
    string Kind,
    Guid CaseId,
    int Version,
    Guid OrganisationId,
    Guid? ProgrammeId,
    Guid? ApplicationId,
    Guid? GrantId,
    int? NoticeVersion,
    string FileReference,
    IReadOnlyList<LetterDocument> Documents,
    string IssuedBy,
    DateTimeOffset At,
    ApplicantNotification? Notification = null,
    string? UserName = null,
    string? UserId = null,
    string? CorrelationId = null,
    string? CausationId = null);

/// <summary>
/// A letter decided but not yet archived (normally for milliseconds): its downloads answer 202 with <c>status: pending</c>
/// until <see cref="IssueLetterHandler"/> has archived it and deletes this document in the same transaction.
/// </summary>
public sealed class PendingLetter
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = "";
    public Guid OrganisationId { get; set; }
    public Guid? ApplicationId { get; set; }
    public Guid? GrantId { get; set; }
    public int? NoticeVersion { get; set; }
    public string FileReference { get; set; } = "";
    public string Subject { get; set; } = "";
    public DateTimeOffset DecidedAt { get; set; }
}

/// <summary>What a letter's endpoints answer (202) while it is being issued.</summary>
public sealed record LetterStatus(Guid Id, string Status, string Kind, string FileReference, string Subject, DateTimeOffset DecidedAt, string Href)
{
    public const string Pending = "pending";

    public static IResult Accepted(PendingLetter p, HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return Results.Json(new LetterStatus(p.Id, Pending, p.Kind, p.FileReference, p.Subject, p.DecidedAt, $"/letters/{p.Id}"), statusCode: StatusCodes.Status202Accepted);
    }
}

/// <summary>
/// The letter a command has ordered, as the command sees it: its id at once; the notification that announces it is sent by the
/// handler after the letter exists (<see cref="Notify"/>). The order is published to the durable inbox when the command's session
/// saves, in its transaction.
/// </summary>
public sealed class LetterOrder
{
    internal LetterOrder(IssueLetter message) => Message = message;

    internal IssueLetter Message { get; private set; }

    public Guid LetterId => Message.LetterId;

    /// <summary>Sends this notification (it names the letter) to the applicant once the letter is archived, not before.</summary>
    public ValueTask Notify(ApplicantNotification notification)
    {
        Message = Message with { Notification = notification };
        return ValueTask.CompletedTask;
    }

    /// <summary>Publishes the order through the session's outbox when the session saves: in the decision's transaction.</summary>
    internal sealed class Publisher(LetterOrder order) : DocumentSessionListenerBase
    {
        private bool _published;

        public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            if (_published) return;
            _published = true;
            var message = order.Message with
            {
                UserName = session.LastModifiedBy,
                UserId = session.GetHeader("userId")?.ToString(),
                CorrelationId = session.CorrelationId,
                CausationId = session.CausationId,
            };
            var sink = await ((IStorageOperations)session).GetOrStartMessageSink();
            await sink.PublishAsync(message, session.TenantId);
        }
    }
}

/// <summary>Test and operations hook (<c>Letters:HoldIssuing=true</c>): letters wait, their orders stay in the durable inbox.</summary>
public sealed class LetterIssuingGate
{
    private volatile TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LetterIssuingGate(IConfiguration config)
    {
        if (!config.GetValue("Letters:HoldIssuing", false)) _open.TrySetResult();
    }

    public bool Held => !_open.Task.IsCompleted;

    public void Hold()
    {
        if (_open.Task.IsCompleted) _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => _open.TrySetResult();

    private int _waiting;

    /// <summary>How many orders are waiting at the gate right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public async Task WaitAsync(CancellationToken ct)
    {
        if (_open.Task.IsCompleted) return;
        Interlocked.Increment(ref _waiting);
        try { await _open.Task.WaitAsync(ct); }
        finally { Interlocked.Decrement(ref _waiting); }
    }
}

/// <summary>
/// Issues an ordered letter: renders every language version once (PDF/A-2b and HTML; deterministic given the documents and the
/// decision's instant), archives the bytes in <c>letter_files</c>, starts the letter's stream with <see cref="LetterIssued"/>
/// carrying their SHA-256, then sends the notification that announces it; one transaction. Handled twice, it issues one letter:
/// an existing stream means done, and a concurrent twin fails on the stream id and is retried into that case.
/// </summary>
public static class IssueLetterHandler
{
    public static void Configure(HandlerChain chain) =>
        chain.OnException<ExistingStreamIdCollisionException>().Or<Marten.Exceptions.ExistingStreamIdCollisionException>().RetryWithCooldown(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250));

    public static async Task Handle(IssueLetter message, IDocumentSession session, IMessageBus bus, LetterIssuingGate gate, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        if (await session.Events.FetchStreamStateAsync(message.LetterId, ct) is not null)
        {
            session.Delete<PendingLetter>(message.LetterId);
            return; // issued already (a redelivered or duplicated order)
        }
        if (message.UserName is not null) session.LastModifiedBy = message.UserName;
        if (message.CorrelationId is not null) session.CorrelationId = message.CorrelationId;
        if (message.CausationId is not null) session.CausationId = message.CausationId;
        if (message.UserId is not null) session.SetHeader("userId", message.UserId);

        var files = new List<LetterFile>();
        foreach (var (name, language, media, binding, bytes) in Render(message))
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            LetterArchive.Write(session, message.LetterId, name, media, bytes, sha);
            files.Add(new LetterFile(name, language, media, binding, sha, bytes.Length));
        }
        var documents = message.Documents;
        session.Events.StartStream<Letter>(message.LetterId, new LetterIssued(message.LetterId, message.Kind, message.OrganisationId, message.ProgrammeId,
            message.ApplicationId, message.GrantId, message.NoticeVersion, message.FileReference, documents[0].Subject, files.ToArray(), message.IssuedBy, message.At));
        session.Delete<PendingLetter>(message.LetterId);
        if (message.Notification is { } notification) await bus.PublishAsync(notification);
    }

    /// <summary>
    /// The files of the letter in their fixed order (per language: PDF, HTML). The language versions are independent documents,
    /// rendered side by side (the calling thread takes part).
    /// </summary>
    public static IReadOnlyList<(string Name, string Language, string MediaType, bool Binding, byte[] Bytes)> Render(IssueLetter message)
    {
        var documents = message.Documents;
        var rendered = new (byte[] Pdf, byte[] Html)[documents.Count];
        Parallel.For(0, documents.Count, i => rendered[i] = (
            LetterPdf.Render(documents[i], message.At,
                documents[i].Binding ? message.LetterId : Letter.IdFor(message.Kind + "/" + documents[i].Language, message.CaseId, message.Version)),
            Encoding.UTF8.GetBytes(LetterHtml.Render(documents[i]))));
        var files = new List<(string, string, string, bool, byte[])>();
        for (var i = 0; i < documents.Count; i++)
        {
            files.Add(($"{documents[i].Language}.pdf", documents[i].Language, "application/pdf", documents[i].Binding, rendered[i].Pdf));
            files.Add(($"{documents[i].Language}.html", documents[i].Language, "text/html; charset=utf-8", documents[i].Binding, rendered[i].Html));
        }
        return files;
    }
}

/// <summary>
/// The archived bytes of the letters: the table <c>letter_files</c> (bytea, one row per file, written once, never changed), created
/// with the schema. Its letter id references the letter's stream, so removing event data removes the files with it. Letters
/// archived before (Marten documents <see cref="ArchivedLetterFile"/>) are read from there when the table has no row.
/// </summary>
public static class LetterArchive
{
    public const string TableName = "letter_files";

    public static Weasel.Postgresql.Tables.Table Table(string schema, string eventSchema)
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(schema, TableName, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
#pragma warning disable CS0618 // Weasel 9.49's ForeignKeyTo still takes the Postgresql CascadeAction
        table.AddColumn<Guid>("letter_id").AsPrimaryKey()
            .ForeignKeyTo($"{eventSchema}.mt_streams", "id", "fk_letter_files_stream", onDelete: Weasel.Postgresql.CascadeAction.Cascade);
#pragma warning restore CS0618
        table.AddColumn<string>("name").AsPrimaryKey();
        table.AddColumn<string>("media_type").NotNull();
        table.AddColumn("content", "bytea").NotNull();
        table.AddColumn<string>("sha256").NotNull();
        return table;
    }

    private static string Qualified(IQuerySession session) => $"{session.DocumentStore.Options.DatabaseSchemaName}.{TableName}";

    /// <summary>Queues the file's insert in the session's transaction; a file already there (same letter, same name) stays as it is.</summary>
    public static void Write(IDocumentSession session, Guid letterId, string name, string mediaType, byte[] content, string sha256) =>
        session.QueueSqlCommand($"insert into {Qualified(session)} (letter_id, name, media_type, content, sha256) values (?, ?, ?, ?, ?) on conflict do nothing",
            letterId, name, mediaType, content, sha256);

    /// <summary>The archived bytes of one file, or null.</summary>
    public static async Task<byte[]?> Read(IQuerySession session, Guid letterId, string name, CancellationToken ct)
    {
        var found = await ReadMany(session, [(letterId, name)], ct);
        return found.TryGetValue((letterId, name), out var bytes) ? bytes : null;
    }

    /// <summary>The archived bytes of the files asked for that exist: the table first, the old documents for the rest.</summary>
    public static async Task<Dictionary<(Guid LetterId, string Name), byte[]>> ReadMany(IQuerySession session, IReadOnlyList<(Guid LetterId, string Name)> files,
        CancellationToken ct)
    {
        var found = new Dictionary<(Guid, string), byte[]>();
        if (files.Count == 0) return found;
        await using (var connection = session.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(
                $"select f.letter_id, f.name, f.content from {Qualified(session)} f join unnest(@ids, @names) as w(letter_id, name) using (letter_id, name)", connection);
            command.Parameters.AddWithValue("ids", files.Select(f => f.LetterId).ToArray());
            command.Parameters.AddWithValue("names", files.Select(f => f.Name).ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                found[(reader.GetGuid(0), reader.GetString(1))] = (byte[])reader.GetValue(2);
        }
        var missing = files.Where(f => !found.ContainsKey(f)).ToList();
        if (missing.Count > 0)
            foreach (var old in await session.LoadManyAsync<ArchivedLetterFile>(ct, missing.Select(f => ArchivedLetterFile.IdOf(f.LetterId, f.Name)).ToArray()))
                found[(old.LetterId, old.Name)] = old.Content;
        return found;
    }

    /// <summary>
    /// How many files the archive holds (the table and the old documents), leaving out the files of letters issued after the
    /// <c>letter_issued</c> event at <paramref name="upToSequence"/>: a letter issued while the verification runs is not a file
    /// "added afterwards". A row whose stream has no <c>letter_issued</c> at all always counts.
    /// </summary>
    public static async Task<long> Count(IQuerySession session, long upToSequence, CancellationToken ct)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select count(*) from {Qualified(session)} f where not exists (select 1 from {session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_events e "
            + "where e.stream_id = f.letter_id and e.type = 'letter_issued' and e.seq_id > @upTo)", connection);
        command.Parameters.AddWithValue("upTo", upToSequence);
        var rows = (long)(await command.ExecuteScalarAsync(ct))!;
        return rows + await session.Query<ArchivedLetterFile>().CountAsync(ct);
    }
}
