using Mudbase.Emulator;

namespace Mudbase.Tests.Integration;

/// <summary>One emulator without rate limits, shared by a test class: flows that need the limiter start their own.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public MudbaseEmulator Emulator { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false }, TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();

    public MudbaseClient CreateClient(string? projectId = null) => new(new MudbaseClientOptions
    {
        BaseUrl = Emulator.BaseUrl,
        ProjectId = projectId ?? Emulator.DefaultProjectId,
        Retry = { BaseDelay = TimeSpan.FromMilliseconds(10) },
    });

    public static string NewEmail(string name = "user") => $"{name}.{Guid.NewGuid():N}@northwind.dev";
}
