// The packaging test's consumer: the anonymous flow through the packed Mudbase.Client, first against the server named by
// MUDBASE_BASE_URL and MUDBASE_PROJECT_ID (the standalone emulator run.sh starts), then against an emulator started
// in-process from the packed Mudbase.Emulator, as a user's test project would. Exits non-zero on the first failure.
using System.Reflection;
using Mudbase;
using Mudbase.Auth;
using Mudbase.Emulator;

try
{
    var baseUrl = Required("MUDBASE_BASE_URL");
    var projectId = Required("MUDBASE_PROJECT_ID");
    Console.WriteLine($"Mudbase.Client {Version(typeof(MudbaseClient))}, Mudbase.Emulator {Version(typeof(MudbaseEmulator))}");

    await AnonymousFlowAsync("standalone emulator", new Uri(baseUrl), projectId);

    await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false });
    await AnonymousFlowAsync("in-process emulator", emulator.BaseUrl, emulator.DefaultProjectId);
    Check(emulator.GetStatistics().SessionsStarted >= 1, "the in-process emulator counted the session");

    Console.WriteLine("OK: the packages work from a NuGet feed.");
    return 0;
}
catch (Exception exception)
{
    Console.Error.WriteLine($"FAILED: {exception}");
    return 1;
}

static async Task AnonymousFlowAsync(string server, Uri baseUrl, string projectId)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    var cancellationToken = timeout.Token;
    using var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = baseUrl, ProjectId = projectId });

    AuthSession guest = await client.Auth.CreateAnonymousAsync(cancellationToken: cancellationToken);
    Check(!string.IsNullOrEmpty(guest.Token) && !string.IsNullOrEmpty(guest.RefreshToken), "the anonymous session has tokens");
    Check(!string.IsNullOrEmpty(guest.User.Id), "the anonymous user has an id");
    Check(guest.User.IsAnonymous == true, "the user is anonymous");
    Check(ReferenceEquals(client.Auth.CurrentSession, guest), "the anonymous session is the client's current session");

    SessionInfo me = await client.Auth.GetSessionAsync(cancellationToken: cancellationToken);
    Check(me.Authenticated && me.User?.Id == guest.User.Id, "the server knows the session's user");

    // The quickstart's registration: the project requires email verification, so no tokens come back.
    RegisterResult registered = await client.Auth.RegisterAsync(
        new RegisterRequest
        {
            Email = $"ada+{Guid.NewGuid():N}@northwind.dev",
            Password = "Str0ng_Pass!w0rd",
            FirstName = "Ada",
            LastName = "Lovelace",
        },
        cancellationToken);
    Check(registered.RequireVerification && registered.Session is null, "registration asks for email verification");

    await client.Auth.LogoutAsync(cancellationToken);
    Check(client.Auth.CurrentSession is null, "logging out clears the session");
    Console.WriteLine($"{server}: anonymous user {guest.User.Id}, session until {guest.ExpiresAt:O}, registration pending verification, logged out");
}

static string Required(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set.");

static string? Version(Type type) =>
    type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException($"Expected: {what}.");
    }
}
