using System.Net;

namespace Mudbase.Samples.WebApi.Tests;

/// <summary>The sample as configured: which project it signs users up on, and the emulator's lifetime.</summary>
public sealed class ConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_a_project_that_requires_email_verification_sign_up_answers_202_and_signs_nobody_in()
    {
        // The emulator's seeded project with email verification on, instead of appsettings.json's.
        await using var sample = await SampleAppHost.StartAsync("--Mudbase:ProjectId=685ad30be129932fbb7a1047");
        var (heidiName, heidiEmail) = Api.NewUser("heidi");
        using var heidi = sample.ClientFor(heidiName);

        using var signUp = await heidi.SignUpAsync(heidiEmail);
        using var me = await heidi.MeAsync();

        Assert.Equal(HttpStatusCode.Accepted, signUp.StatusCode);
        Assert.Contains("POST /login", await signUp.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Single(sample.Emulator.GetOutbox(heidiEmail));   // the verification email
    }

    [Fact]
    public async Task Disposing_the_app_stops_its_emulator()
    {
        var sample = await SampleAppHost.StartAsync();
        var outbox = new Uri(sample.Emulator.BaseUrl, "emulator/outbox?to=nobody@northwind.dev");
        using var http = new HttpClient();
        using (var before = await http.GetAsync(outbox, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await sample.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(outbox, Ct));
    }
}
