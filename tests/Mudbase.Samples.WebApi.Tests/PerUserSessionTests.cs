using System.Net;
using System.Net.Http.Json;

namespace Mudbase.Samples.WebApi.Tests;

/// <summary>Several users served at once by one sample, each through a Mudbase session of their own.</summary>
public sealed class PerUserSessionTests(SampleAppFixture fixture) : IClassFixture<SampleAppFixture>
{
    private SampleAppHost Sample => fixture.Host;

    [Fact]
    public async Task Two_users_served_at_once_each_only_ever_see_their_own_Mudbase_user()
    {
        var (aliceName, aliceEmail) = Api.NewUser("alice");
        var (bobName, bobEmail) = Api.NewUser("bob");
        using var alice = Sample.ClientFor(aliceName);
        using var bob = Sample.ClientFor(bobName);

        // Both sign up at the same time.
        var signUps = await Task.WhenAll(alice.SignUpAsync(aliceEmail), bob.SignUpAsync(bobEmail));
        var aliceSignedUp = await signUps[0].ReadMeAsync(HttpStatusCode.Created);
        var bobSignedUp = await signUps[1].ReadMeAsync(HttpStatusCode.Created);
        Assert.Equal(aliceEmail, aliceSignedUp.Email);
        Assert.Equal(bobEmail, bobSignedUp.Email);
        Assert.NotEqual(aliceSignedUp.MudbaseUserId, bobSignedUp.MudbaseUserId);

        // Then 50 GET /me each, interleaved and all in flight together.
        var calls = Enumerable.Range(0, 100).Select(async i =>
        {
            var (name, http) = i % 2 == 0 ? (aliceName, alice) : (bobName, bob);
            using var response = await http.MeAsync();
            return (Asked: name, Answer: await response.ReadMeAsync());
        });
        var answers = await Task.WhenAll(calls);

        Assert.Equal(50, answers.Count(a => a.Asked == aliceName));
        Assert.Equal(50, answers.Count(a => a.Asked == bobName));
        Assert.All(answers, a =>
        {
            var expected = a.Asked == aliceName ? aliceSignedUp : bobSignedUp;
            Assert.Equal(a.Asked, a.Answer.User);
            Assert.Equal(expected.MudbaseUserId, a.Answer.MudbaseUserId);
            Assert.Equal(expected.Email, a.Answer.Email);
        });
    }

    [Fact]
    public async Task Me_without_signing_in_answers_401()
    {
        var (carolName, _) = Api.NewUser("carol");
        using var carol = Sample.ClientFor(carolName);
        using var anonymous = new HttpClient { BaseAddress = Sample.BaseAddress };

        using var notSignedIn = await carol.MeAsync();
        using var noUser = await anonymous.GetAsync("/me", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, notSignedIn.StatusCode);
        Assert.Contains(carolName + " is not signed in", await notSignedIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, noUser.StatusCode);
    }

    [Fact]
    public async Task Logging_out_ends_only_that_users_session()
    {
        var (daveName, daveEmail) = Api.NewUser("dave");
        var (erinName, erinEmail) = Api.NewUser("erin");
        using var dave = Sample.ClientFor(daveName);
        using var erin = Sample.ClientFor(erinName);
        var daveSignedUp = await (await dave.SignUpAsync(daveEmail)).ReadMeAsync(HttpStatusCode.Created);
        var erinSignedUp = await (await erin.SignUpAsync(erinEmail)).ReadMeAsync(HttpStatusCode.Created);

        using var loggedOut = await dave.LogOutAsync();
        using var daveAfter = await dave.MeAsync();
        var erinAfter = await (await erin.MeAsync()).ReadMeAsync();
        using var loggedOutAgain = await dave.LogOutAsync();

        Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, daveAfter.StatusCode);
        Assert.Equal(erinSignedUp, erinAfter);
        Assert.Equal(HttpStatusCode.Unauthorized, loggedOutAgain.StatusCode);

        // Dave's Mudbase account is still there: logging in again gives him the same user.
        var daveBack = await (await dave.LogInAsync(daveEmail)).ReadMeAsync();
        Assert.Equal(daveSignedUp.MudbaseUserId, daveBack.MudbaseUserId);
        Assert.Equal(daveSignedUp, await (await dave.MeAsync()).ReadMeAsync());
    }

    [Fact]
    public async Task Mudbase_refusals_become_the_APIs_own_answers()
    {
        var (frankName, frankEmail) = Api.NewUser("frank");
        using var frank = Sample.ClientFor(frankName);
        await (await frank.SignUpAsync(frankEmail)).ReadMeAsync(HttpStatusCode.Created);

        using var taken = await frank.SignUpAsync(frankEmail);
        using var wrongPassword = await frank.LogInAsync(frankEmail, "Wr0ng_Pass!w0rd");
        using var missingField = await frank.PostAsync("/login", JsonContent.Create(new { email = frankEmail }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missingField.StatusCode);
        // None of these touched the session Frank already has.
        Assert.Equal(frankEmail, (await (await frank.MeAsync()).ReadMeAsync()).Email);
    }
}
