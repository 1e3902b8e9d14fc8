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
        ("programme_created", typeof(ProgrammeCreated), "An officer created a programme (draft)."),
        ("programme_details_changed", typeof(ProgrammeDetailsChanged), "Name or description of a programme changed."),
    ];

    public static void Register(IEventStoreOptions events)
    {
        foreach (var (name, type, _) in All) events.MapEventType(type, name);
    }
}
