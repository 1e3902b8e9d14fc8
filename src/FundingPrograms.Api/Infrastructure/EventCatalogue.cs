using FundingPrograms.Programmes;
using Marten.Events;

namespace FundingPrograms.Infrastructure;

/// <summary>Marker for every domain event: each one is listed below with its stable name.</summary>
public interface IDomainEvent;

/// <summary>
/// The published event type names. A name, once used, never changes: stored events are read back by it.
/// contracts/events.md is generated from this list (a test keeps them equal).
/// </summary>
public static class EventCatalogue
{
    public static readonly IReadOnlyList<(string Name, Type Type, string Summary)> All =
    [
        ("programme_created", typeof(ProgrammeCreated), "An officer created a programme as a draft, with its full definition."),
        ("programme_revised", typeof(ProgrammeRevised), "The programme's definition was replaced (with a reason once published)."),
        ("programme_published", typeof(ProgrammePublished), "The programme was published: it shows in the public catalogue and can open calls."),
        ("programme_closed", typeof(ProgrammeClosed), "The programme was closed: no new calls."),
        ("programme_archived", typeof(ProgrammeArchived), "The programme was archived: read-only."),
        ("budget_allocated", typeof(BudgetAllocated), "A budget was allocated to a budget line for a budget year."),
        ("budget_increased", typeof(BudgetIncreased), "A budget year was increased."),
        ("budget_decreased", typeof(BudgetDecreased), "A budget year was decreased (never below what is committed)."),
        ("call_opened", typeof(CallOpened), "A call (Förderaufruf) was opened with its window, districts and budget cap."),
        ("call_closed", typeof(CallClosed), "A call closed: automatically at its deadline, or early by an officer with a reason."),
    ];

    public static void Register(IEventStoreOptions events)
    {
        foreach (var (name, type, _) in All) events.MapEventType(type, name);
    }
}
