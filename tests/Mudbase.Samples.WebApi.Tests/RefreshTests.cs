using System.Net;

namespace Mudbase.Samples.WebApi.Tests;

/// <summary>Refresh tokens are single-use: concurrent requests of one user must not refresh twice.</summary>
public sealed class RefreshTests
{
    [Fact]
    public async Task Concurrent_requests_of_one_user_across_a_refresh_keep_the_session()
    {
        // Access tokens of 4 s are refreshed once less than 2 s (half their lifetime) remain.
        await using var sample = await SampleAppHost.StartAsync("--Emulator:AccessTokenLifetime=00:00:04");
        var (graceName, graceEmail) = Api.NewUser("grace");
        using var grace = sample.ClientFor(graceName);
        var signedUp = await (await grace.SignUpAsync(graceEmail)).ReadMeAsync(HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await grace.MeAsync();
            return await response.ReadMeAsync();
        }));

        Assert.All(answers, a => Assert.Equal(signedUp, a));
        var seen = sample.Emulator.GetStatistics();
        Assert.True(seen.RefreshRequests >= 1, $"no refresh was made: {seen}");
        Assert.Equal(0, seen.RefreshTokenReuses);
        Assert.Equal(0, seen.SessionsRevoked);
    }
}
