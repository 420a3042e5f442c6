using Mudbase.Emulator;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Integration;

/// <summary>An emulator started inside an app belongs to the emulator, not to that app's configuration.</summary>
public sealed class EmbeddedEmulatorTests
{
    [Fact]
    public async Task An_embedded_emulator_ignores_the_host_apps_appsettings_json()
    {
        // The test process's own appsettings.json (Integration/host-appsettings.json) names a Kestrel endpoint nobody
        // may bind and a 1-byte body limit.
        Assert.Contains("MaxRequestBodySize", await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Wire.Ct), StringComparison.Ordinal);

        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false }, Wire.Ct);
        using var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = emulator.BaseUrl, ProjectId = emulator.DefaultProjectId });

        var result = await client.Auth.RegisterAsync(Wire.NewRegisterRequest(emulator.DefaultProjectId), Wire.Ct);

        Assert.False(string.IsNullOrEmpty(result.User?.Id));
        Assert.Equal(1, emulator.GetStatistics().UsersCreated);
    }
}
