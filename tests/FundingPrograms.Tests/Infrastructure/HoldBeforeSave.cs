using Marten;
using Marten.Services;

namespace FundingPrograms.Tests.Infrastructure;

/// <summary>Holds a session in BeforeSaveChanges (its sequence numbers already reserved, nothing committed) until released.</summary>
public sealed class HoldBeforeSave : DocumentSessionListenerBase
{
    public readonly TaskCompletionSource Reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        Reached.TrySetResult();
        await Release.Task.WaitAsync(TimeSpan.FromSeconds(60), token);
    }
}
