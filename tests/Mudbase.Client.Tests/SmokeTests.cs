using System.Net;
using Mudbase.Auth;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Mudbase.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Anonymous_session_round_trips_through_wiremock()
    {
        using var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        server.Given(Request.Create().WithPath("/api/auth/anonymous").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"message":"Anonymous session created","token":"t1","refreshToken":"r1","expiresIn":86400,"user":{"id":"685acbe0e129932fbb7a0fc2","email":"anonymous_abc@anonymous.local","firstName":"Anonymous","lastName":"User","role":"viewer","isAnonymous":true,"customRole":null}}"""));

        using var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = new Uri(server.Url!), ProjectId = "685ad30be129932fbb7a1047" });
        var session = await client.Auth.CreateAnonymousAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("t1", session.Token);
        Assert.Equal("685acbe0e129932fbb7a0fc2", session.User.Id);
        var sent = Assert.Single(server.LogEntries).RequestMessage;
        Assert.Equal("""{"projectId":"685ad30be129932fbb7a1047"}""", sent.Body);
    }
}
