// The Mudbase .NET SDK in one page: an anonymous session, registrations with and without email
// verification, and a duplicate registration caught as a typed exception.
//
// With no configuration it starts the local emulator in-process. Set MUDBASE_BASE_URL and
// MUDBASE_PROJECT_ID to run against a real server instead (MUDBASE_NOVERIFY_PROJECT_ID optionally
// names a project without email verification).
using Mudbase;
using Mudbase.Auth;
using Mudbase.Emulator;

var baseUrl = Environment.GetEnvironmentVariable("MUDBASE_BASE_URL");
var projectId = Environment.GetEnvironmentVariable("MUDBASE_PROJECT_ID");
var noVerifyProjectId = Environment.GetEnvironmentVariable("MUDBASE_NOVERIFY_PROJECT_ID");

await using var emulator = string.IsNullOrWhiteSpace(baseUrl) ? await MudbaseEmulator.StartAsync() : null;
if (emulator is not null)
{
    baseUrl = emulator.BaseUrl.ToString();
    projectId = emulator.DefaultProjectId;
    noVerifyProjectId = emulator.NoVerificationProjectId;
    Console.WriteLine($"Started the local Mudbase emulator at {baseUrl}");
}
else if (string.IsNullOrWhiteSpace(projectId))
{
    Console.Error.WriteLine("MUDBASE_BASE_URL is set, so MUDBASE_PROJECT_ID must be set too.");
    return 1;
}

using var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = new Uri(baseUrl!), ProjectId = projectId });

try
{
    Section("1. An anonymous (guest) session");
    var guest = await client.Auth.CreateAnonymousAsync(new CreateAnonymousRequest { DeviceId = "sample-device" });
    Console.WriteLine($"   Signed in as {guest.User.FirstName} {guest.User.LastName} ({guest.User.Email}), role {guest.User.Role}");
    Console.WriteLine($"   The access token is valid until {guest.ExpiresAt:u} ({guest.ExpiresIn} s)");

    Section("2. Registering on a project that requires email verification");
    var email = $"ada.{Guid.NewGuid():N}"[..16] + "@northwind.dev";
    var registration = await client.Auth.RegisterAsync(new RegisterRequest
    {
        Email = email,
        Password = "Str0ng_Sample_Pass!w0rd",
        FirstName = "Ada",
        LastName = "Lovelace",
    });
    Console.WriteLine(registration.RequireVerification
        ? $"   \"{registration.Message}\": {email} must be verified before signing in (no tokens yet)."
        : $"   Registered and signed in as {registration.User?.Email}.");

    if (noVerifyProjectId is not null)
    {
        Section("3. Registering on a project without email verification");
        var instant = await client.Auth.RegisterAsync(new RegisterRequest
        {
            Email = $"grace.{Guid.NewGuid():N}"[..18] + "@northwind.dev",
            Password = "Str0ng_Sample_Pass!w0rd",
            FirstName = "Grace",
            LastName = "Hopper",
            ProjectId = noVerifyProjectId,
        });
        if (instant.Session is { } session)
        {
            Console.WriteLine($"   Signed in at once as {session.User.Email} (user {session.User.Id}); the session expires at {session.ExpiresAt:u}");
        }
    }

    Section("4. Registering the same email again");
    try
    {
        await client.Auth.RegisterAsync(new RegisterRequest
        {
            Email = email,
            Password = "Str0ng_Sample_Pass!w0rd",
            FirstName = "Ada",
            LastName = "Lovelace",
        });
        Console.WriteLine("   The server accepted the duplicate (unexpected).");
    }
    catch (MudbaseConflictException ex)
    {
        Console.WriteLine($"   Caught {nameof(MudbaseConflictException)}: {ex.Message}");
    }

    return 0;
}
catch (MudbaseRateLimitException ex)
{
    Console.Error.WriteLine($"Rate limited: try again in {ex.RetryAfter?.TotalSeconds ?? 0:0} s. ({ex.Message})");
    return 2;
}
catch (MudbaseException ex)
{
    Console.Error.WriteLine($"Mudbase said no: {ex.Message}");
    return 2;
}

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine(title);
}
