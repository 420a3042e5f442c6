using Mudbase.Auth;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Sessions;

/// <summary>A session survives a restart through its store, and a damaged store never stops an app.</summary>
public sealed class SessionPersistenceTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();
    private readonly string _folder = Directory.CreateTempSubdirectory("mudbase-session-").FullName;

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string StorePath => Path.Combine(_folder, "nested", "session.json");

    [Fact]
    public async Task A_second_client_over_the_same_file_resumes_the_session()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        _server.Answer("/api/auth/local/session", Wire.Json(200, $$"""{"user":{{Bodies.AnonymousUser}},"authenticated":true}"""));
        AuthSession first;
        using (var client = _server.Client(o => o.SessionStore = new FileSessionStore(StorePath)))
        {
            first = await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        }

        using var restarted = _server.Client(o => o.SessionStore = new FileSessionStore(StorePath));
        Assert.Null(restarted.Auth.CurrentSession); // nothing is read before it is needed
        await restarted.Auth.GetSessionAsync(cancellationToken: Wire.Ct);

        var resumed = restarted.Auth.CurrentSession!;
        Assert.Equal(first.Token, resumed.Token);
        Assert.Equal(first.RefreshToken, resumed.RefreshToken);
        Assert.Equal(first.ExpiresAt, resumed.ExpiresAt);
        Assert.Equal(first.User.Id, resumed.User.Id);
        Assert.Equal(first.User.IsAnonymous, resumed.User.IsAnonymous);
        var sent = _server.Requests().Single(r => r.Path == "/api/auth/local/session");
        Assert.Equal("Bearer " + first.Token, sent.Header("Authorization"));
    }

    [Fact]
    public async Task The_file_is_written_atomically_and_readable_by_its_owner_only()
    {
        var store = new FileSessionStore(StorePath);
        var session = new AuthSession("access-1", "refresh-1", 60, DateTimeOffset.UtcNow.AddMinutes(1), new MudbaseUser("u1", "ada@northwind.dev"));

        await store.SaveAsync(session, Wire.Ct);
        await store.SaveAsync(session, Wire.Ct);

        Assert.Equal([StorePath], Directory.GetFiles(Path.GetDirectoryName(StorePath)!)); // no temporary file left behind
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StorePath));
        }

        Assert.Equal("refresh-1", (await store.LoadAsync(Wire.Ct))?.RefreshToken);
        await store.ClearAsync(Wire.Ct);
        Assert.False(File.Exists(StorePath));
        Assert.Null(await store.LoadAsync(Wire.Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ not json")]
    [InlineData("""{"token":"only-a-token"}""")]
    [InlineData("[1,2,3]")]
    [InlineData("\u0000\u0001binary")]
    public async Task A_corrupt_file_reads_as_signed_out(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        await File.WriteAllTextAsync(StorePath, content, Wire.Ct);
        using var client = _server.Client(o => o.SessionStore = new FileSessionStore(StorePath));

        var restored = await client.Auth.RestoreSessionAsync(Wire.Ct);

        Assert.Null(restored);
        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => client.Auth.GetSessionAsync(cancellationToken: Wire.Ct));
        Assert.Empty(_server.Requests());
    }

    [Fact]
    public async Task An_unreadable_file_is_a_clear_error_that_names_it()
    {
        // A folder where the file should be cannot be read, even by root (which ignores file permissions).
        Directory.CreateDirectory(StorePath);
        using var client = _server.Client(o => o.SessionStore = new FileSessionStore(StorePath));

        var ex = await Assert.ThrowsAsync<IOException>(() => client.Auth.RestoreSessionAsync(Wire.Ct));

        Assert.Contains(StorePath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_clears_the_store()
    {
        var path = StorePath;
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        _server.Answer("/api/auth/local/logout", Wire.Json(200, """{"message":"Logged out"}"""));
        using var client = _server.Client(o => o.SessionStore = new FileSessionStore(path));
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        Assert.True(File.Exists(path));

        await client.Auth.LogoutAsync(Wire.Ct);

        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_refreshed_session_is_saved_over_the_old_one()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession(expiresIn: 0)));
        _server.Answer("/api/auth/refresh", Wire.Json(200, """{"message":"ok","token":"access-2","refreshToken":"refresh-2","expiresIn":3600}"""));
        var store = new FileSessionStore(StorePath);
        using var client = _server.Client(o => o.SessionStore = store);
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        await client.Auth.RefreshAsync(Wire.Ct);

        // After a restart the app must present the new refresh token: the old one is spent.
        Assert.Equal("refresh-2", (await store.LoadAsync(Wire.Ct))?.RefreshToken);
    }
}
