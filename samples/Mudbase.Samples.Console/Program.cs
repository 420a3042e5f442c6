// The Mudbase .NET SDK in one page: a guest session converted to an account, registrations with and without
// email verification, a duplicate caught as a typed exception, then a verified sign-in, a refresh, the server's
// view of the session, and sign-out.
//
// With no configuration it starts the local emulator in-process (whose outbox stands in for the user's inbox).
// Set MUDBASE_BASE_URL and MUDBASE_PROJECT_ID to run against a real server instead (MUDBASE_NOVERIFY_PROJECT_ID
// optionally names a project without email verification; the verified sign-in needs the emulator's outbox).
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
client.Auth.SessionChanged += (_, e) => Console.WriteLine($"   [session {e.Reason}: {e.Session?.User.Email ?? "signed out"}]");
const string password = "Str0ng_Sample_Pass!w0rd";

try
{
    Section("1. An anonymous (guest) session");
    var guest = await client.Auth.CreateAnonymousAsync(new CreateAnonymousRequest { DeviceId = "sample-device" });
    Console.WriteLine($"   Signed in as {guest.User.FirstName} {guest.User.LastName} ({guest.User.Email}), role {guest.User.Role}");
    Console.WriteLine($"   The access token is valid until {guest.ExpiresAt:u} ({guest.ExpiresIn} s)");

    Section("2. The guest keeps their data by becoming an account");
    var converted = await client.Auth.ConvertAnonymousAsync(new ConvertAnonymousRequest { Email = NewEmail("guest"), Password = password });
    Console.WriteLine($"   Now {converted.User.Email}; same user id: {converted.User.Id == guest.User.Id}");

    Section("3. Registering on a project that requires email verification");
    var email = NewEmail("ada");
    var registration = await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = password, FirstName = "Ada", LastName = "Lovelace" });
    Console.WriteLine(registration.RequireVerification
        ? $"   \"{registration.Message}\": {email} must be verified before signing in (no tokens yet)."
        : $"   Registered and signed in as {registration.User?.Email}.");

    if (noVerifyProjectId is not null)
    {
        Section("4. Registering on a project without email verification");
        var instant = await client.Auth.RegisterAsync(new RegisterRequest
        {
            Email = NewEmail("grace"),
            Password = password,
            FirstName = "Grace",
            LastName = "Hopper",
            ProjectId = noVerifyProjectId,
        });
        Console.WriteLine($"   Signed in at once as {instant.Session?.User.Email} (user {instant.User?.Id})");
    }

    Section("5. Registering the same email again");
    try
    {
        await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = password, FirstName = "Ada", LastName = "Lovelace" });
        Console.WriteLine("   The server accepted the duplicate (unexpected).");
    }
    catch (MudbaseConflictException ex)
    {
        Console.WriteLine($"   Caught {nameof(MudbaseConflictException)}: {ex.Message}");
    }

    Section("6. Signing in before and after verifying the email");
    try
    {
        await client.Auth.LoginAsync(new LoginRequest { Email = email, Password = password });
    }
    catch (MudbaseForbiddenException ex) when (ex.IsEmailVerificationRequired)
    {
        Console.WriteLine($"   Not yet: {ex.Message}");
    }

    if (emulator is null)
    {
        Console.WriteLine("   (Against a real server the verification link arrives by email; the rest of this step needs the emulator.)");
        return 0;
    }

    var verification = emulator.GetOutbox(email).Last(m => m.Kind == EmulatorOutboxKinds.VerifyEmail);
    Console.WriteLine($"   The emulator's outbox holds the verification email for {verification.To}");
    await client.Auth.VerifyEmailAsync(verification.Token!);
    var session = await client.Auth.LoginAsync(new LoginRequest { Email = email, Password = password });
    Console.WriteLine($"   Signed in as {session.User.FirstName} {session.User.LastName}");

    Section("7. Refreshing the session (normally automatic, shortly before the token expires)");
    var refreshed = await client.Auth.RefreshAsync();
    Console.WriteLine($"   New tokens until {refreshed.ExpiresAt:u}; the refresh token rotated: {refreshed.RefreshToken != session.RefreshToken}");

    Section("8. The server's view of the session");
    var info = await client.Auth.GetSessionAsync();
    Console.WriteLine($"   authenticated: {info.Authenticated}, user: {info.User?.Email}");

    Section("9. Signing out");
    await client.Auth.LogoutAsync();
    Console.WriteLine($"   Current session: {client.Auth.CurrentSession?.ToString() ?? "none"}");
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

static string NewEmail(string name) => $"{name}.{Guid.NewGuid():N}"[..(name.Length + 13)] + "@northwind.dev";

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine(title);
}
