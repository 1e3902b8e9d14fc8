using FundingPrograms.Applications;
using JasperFx.Events;
using Marten.Events.Projections;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace FundingPrograms.Grants;

/// <summary>
/// The texts the double-funding check compares across the register, one row per application in the table
/// <c>application_texts</c>: the purpose (title and summary), the cost items' descriptions and the holder-naming posts,
/// normalised as <see cref="DoubleFunding"/> compares them, with a GIN trigram index on the posts. Its id references the
/// application's stream, so removing event data removes the row with it. The texts are derived from the application's content
/// (the events keep it); held posts may name a person, as the content does.
/// </summary>
public static class ApplicationTexts
{
    public const string TableName = "application_texts";

    public static Table Table(string schema, string eventSchema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
#pragma warning disable CS0618 // Weasel 9.49's ForeignKeyTo still takes the Postgresql CascadeAction
        table.AddColumn<Guid>("id").AsPrimaryKey()
            .ForeignKeyTo($"{eventSchema}.mt_streams", "id", "fk_application_texts_stream", onDelete: CascadeAction.Cascade);
#pragma warning restore CS0618
        table.AddColumn<string>("purpose_text");
        table.AddColumn<string>("held_posts");
        table.AddColumn<string>("items_text").NotNull();
        // Only the posts are searched across the register (a trigram index); purposes are compared within one organisation. Without
        // an index on the purpose, a new title is a heap-only update of the row.
        table.Indexes.Add(new IndexDefinition($"idx_{TableName}_held_posts") { Columns = ["held_posts"], Method = IndexMethod.gin, Mask = "? gin_trgm_ops" });
        return table;
    }

    public static string Qualified(IQuerySession session) => $"{session.DocumentStore.Options.DatabaseSchemaName}.{TableName}";

    /// <summary>
    /// Queues the upsert of one application's texts in the session's transaction. A row whose texts are unchanged is not written
    /// at all (the <c>where</c> of the conflict clause): an edit of the budget or the districts leaves this table and its
    /// index untouched.
    /// </summary>
    public static void Write(IDocumentOperations operations, Guid applicationId, ApplicationContent content) =>
        operations.QueueSqlCommand($"""
            insert into {operations.DocumentStore.Options.DatabaseSchemaName}.{TableName} as t (id, purpose_text, held_posts, items_text) values (?, ?, ?, ?)
            on conflict (id) do update set purpose_text = excluded.purpose_text, held_posts = excluded.held_posts, items_text = excluded.items_text
            where (t.purpose_text, t.held_posts, t.items_text) is distinct from (excluded.purpose_text, excluded.held_posts, excluded.items_text)
            """, applicationId, (object?)DoubleFunding.PurposeText(content) ?? DBNull.Value, (object?)DoubleFunding.HeldPostsText(content) ?? DBNull.Value,
            DoubleFunding.ItemsText(content));
}

/// <summary>Keeps <see cref="ApplicationTexts"/> with the application's content: inline, in the transaction that drafts or edits it.</summary>
public sealed partial class ApplicationTextsProjection : EventProjection
{
    public const string ProjectionName = "application_texts";

    public ApplicationTextsProjection(string schema, string eventSchema)
    {
        Name = ProjectionName;
        IncludeType<ApplicationDrafted>();
        IncludeType<ApplicationEdited>();
        SchemaObjects.Add(ApplicationTexts.Table(schema, eventSchema));
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case ApplicationDrafted d: ApplicationTexts.Write(operations, e.StreamId, d.Content); break;
            case ApplicationEdited d: ApplicationTexts.Write(operations, e.StreamId, d.Content); break;
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Fills <see cref="ApplicationTexts"/> at start-up for applications stored before the table existed (from their snapshots,
/// in pages; nothing to do once every application has its row).
/// </summary>
public sealed class ApplicationTextsBackfill(IDocumentStore store, ILogger<ApplicationTextsBackfill> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            var filled = 0;
            while (!ct.IsCancellationRequested)
            {
                await using var session = store.LightweightSession();
                var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(Application)).TableName.QualifiedName;
                var missing = await session.AdvancedSql.QueryAsync<Guid>(
                    $"select d.id from {table} d where not exists (select 1 from {ApplicationTexts.Qualified(session)} t where t.id = d.id) limit 500", ct);
                if (missing.Count == 0) break;
                foreach (var a in await session.LoadManyAsync<Application>(ct, missing)) ApplicationTexts.Write(session, a.Id, a.Content);
                await session.SaveChangesAsync(ct);
                filled += missing.Count;
            }
            if (filled > 0) logger.LogInformation("Double-funding texts filled in for {Count} applications stored before their table", filled);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Double-funding texts could not be filled in at start-up; they are written with the next edit of each application");
        }
    }
}
