namespace Mudbase.Emulator.Infrastructure;

/// <summary>
/// Replaces the console lifetime so that Ctrl+C and SIGTERM do not stop an emulator behind its
/// owner's back: a test or the standalone program decides when to dispose it.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
