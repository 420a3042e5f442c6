using System.Net;
using Mudbase.Auth;
using Mudbase.Tests.Support;
using Mudbase.Users;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>
/// <c>client.Users</c> on the wire (CONTRACT.md, Users): each call's verb, path and exact body, the bearer token and never
/// the API key, every answer shape, the error bodies, what is never re-sent, and the session changes erase and password change make.
/// </summary>
public sealed class UsersContractTests : IDisposable
{
    private const string ApiKey = "ak_test_key";
    private const string UserJson = """{"_id":"685acbe0e129932fbb7a0fc2","email":"ada@northwind.dev","firstName":"Ada","lastName":"Lovelace","fullName":"Ada Lovelace","avatar":null,"role":"viewer","customRole":"customer","isAnonymous":false,"emailVerified":true,"twoFactorEnabled":true,"lastLogin":"2025-07-01T08:00:30.500Z","createdAt":"2025-06-30T10:15:00.000Z","updatedAt":"2025-07-01T08:00:30.500Z","org":{"_id":"1","name":"N","slug":"n"}}""";
    private const string SetupJson = """{"secret":"JBSWY3DPEHPK3PXP","qrCode":"data:image/png;base64,iVBORw0KGgo=","manualEntryKey":"JBSW Y3DP EHPK 3PXP","backupCodes":["12345678","87654321"]}""";
    private const string EraseJson = """{"success":true,"message":"User data anonymized and account disabled","data":{"alreadyErased":false,"subjectId":"685acbe0e129932fbb7a0fc2","anonymized":true,"sessionsRevoked":3}}""";

    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    public static TheoryData<string, string, string, string?> Calls => new()
    {
        { "me", "GET", "/api/users/me", null },
        { "update", "PATCH", "/api/users/update", """{"firstName":"Augusta","avatar":"https://cdn.northwind.dev/a.png"}""" },
        { "password", "PATCH", "/api/users/password", """{"currentPassword":"0ld-secret-pw","newPassword":"N3w-secret-pw"}""" },
        { "setup", "POST", "/api/users/2fa/setup", null },
        { "verify", "POST", "/api/users/2fa/verify", """{"token":"123456"}""" },
        { "disable", "POST", "/api/users/2fa/disable", """{"password":"0ld-secret-pw","token":"123456"}""" },
        { "resend", "POST", "/api/users/resend-verification", null },
        { "export", "GET", "/api/users/me/export", null },
        { "erase", "POST", "/api/users/me/erase", """{"confirm":"DELETE","currentPassword":"0ld-secret-pw","totpToken":"123456"}""" },
        { "providers", "GET", "/api/users/me/oauth-providers", null },
        { "unlink", "DELETE", "/api/users/me/oauth-providers/github", null },
    };

    private void AnswerEveryCall()
    {
        _server.Answer("/api/users/me", Wire.Json(200, $$"""{"user":{{UserJson}}}"""));
        _server.Answer("/api/users/update", Wire.Json(200, $$"""{"message":"Profile updated successfully","user":{{UserJson}}}"""));
        _server.Answer("/api/users/2fa/setup", Wire.Json(200, SetupJson));
        _server.Answer("/api/users/me/export", Wire.Json(200, """{"exportedAt":"2025-07-01T08:00:30.500Z","user":{"email":"ada@northwind.dev"},"projects":[]}"""));
        _server.Answer("/api/users/me/erase", Wire.Json(200, EraseJson));
        _server.Answer("/api/users/me/oauth-providers", Wire.Json(200, """{"providers":[{"provider":"github","providerId":"42","email":"ada@northwind.dev","linkedAt":"2025-07-01T08:00:30.500Z"}]}"""));
        foreach (var path in new[] { "/api/users/password", "/api/users/2fa/verify", "/api/users/2fa/disable", "/api/users/resend-verification", "/api/users/me/oauth-providers/github" })
        {
            _server.Answer(path, Wire.Json(200, """{"message":"ok"}"""));
        }
    }

    private static Task Call(MudbaseClient client, string call) => call switch
    {
        "me" => client.Users.GetMeAsync(Wire.Ct),
        "update" => client.Users.UpdateProfileAsync(new UpdateProfileRequest { FirstName = "Augusta", Avatar = "https://cdn.northwind.dev/a.png" }, Wire.Ct),
        "password" => client.Users.ChangePasswordAsync("0ld-secret-pw", "N3w-secret-pw", Wire.Ct),
        "setup" => client.Users.SetUpTwoFactorAsync(Wire.Ct),
        "verify" => client.Users.VerifyTwoFactorAsync("123456", Wire.Ct),
        "disable" => client.Users.DisableTwoFactorAsync("0ld-secret-pw", "123456", Wire.Ct),
        "resend" => client.Users.ResendVerificationAsync(Wire.Ct),
        "export" => client.Users.ExportDataAsync(Wire.Ct),
        "erase" => client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "DELETE", CurrentPassword = "0ld-secret-pw", TwoFactorCode = "123456" }, Wire.Ct),
        "providers" => client.Users.GetLinkedProvidersAsync(Wire.Ct),
        "unlink" => client.Users.UnlinkProviderAsync("github", Wire.Ct),
        _ => throw new ArgumentOutOfRangeException(nameof(call)),
    };

    private List<WireMock.IRequestMessage> UserRequests() =>
        _server.Requests().Where(r => r.Path.StartsWith("/api/users", StringComparison.Ordinal)).ToList();

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Each_call_sends_its_verb_path_and_body_with_the_users_token(string call, string method, string path, string? body)
    {
        AnswerEveryCall();
        using var client = await _server.SignedInClientAsync(configure: o => o.ApiKey = ApiKey);

        await Call(client, call);

        var sent = Assert.Single(UserRequests());
        Assert.Equal((method, path), (sent.Method, sent.Path));
        // The server takes no API key here: the user's token is what signs the call (a configured key rides along on every request, and the JWT wins).
        Assert.Equal("Bearer " + Bodies.AccessToken, sent.Header("Authorization"));
        if (body is null)
        {
            Assert.True(string.IsNullOrEmpty(sent.Body), $"unexpected body '{sent.Body}'");
        }
        else
        {
            Assert.Equal(body, sent.Body);
        }
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Without_a_session_no_call_is_sent(string call, string method, string path, string? body)
    {
        _ = (method, path, body);
        AnswerEveryCall();
        using var client = _server.Client(o => o.ApiKey = ApiKey);

        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => Call(client, call));

        Assert.Empty(UserRequests());
    }

    [Fact]
    public async Task The_user_is_read_in_full_from_its_envelope_or_bare()
    {
        _server.AnswerInOrder("/api/users/me", () => Wire.Message(200, $$"""{"user":{{UserJson}}}"""), () => Wire.Message(200, UserJson));
        using var client = await _server.SignedInClientAsync();

        var wrapped = await client.Users.GetMeAsync(Wire.Ct);
        var bare = await client.Users.GetMeAsync(Wire.Ct);

        foreach (var me in new[] { wrapped, bare })
        {
            Assert.Equal(("685acbe0e129932fbb7a0fc2", "Ada Lovelace", "customer", true), (me.Id, me.FullName, me.CustomRole, me.TwoFactorEnabled));
            Assert.Equal(new DateTimeOffset(2025, 7, 1, 8, 0, 30, 500, TimeSpan.Zero), me.LastLogin);
            Assert.Null(me.Avatar);
            Assert.Equal("n", me.AdditionalProperties["org"].GetProperty("slug").GetString());
        }
    }

    [Fact]
    public async Task The_2fa_setup_erase_and_providers_answers_are_read_field_for_field()
    {
        AnswerEveryCall();
        using var client = await _server.SignedInClientAsync();

        var setup = await client.Users.SetUpTwoFactorAsync(Wire.Ct);
        var providers = await client.Users.GetLinkedProvidersAsync(Wire.Ct);
        var erased = await client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "DELETE" }, Wire.Ct);

        Assert.Equal(("JBSWY3DPEHPK3PXP", "JBSW Y3DP EHPK 3PXP", "data:image/png;base64,iVBORw0KGgo="), (setup.Secret, setup.ManualEntryKey, setup.QrCode));
        Assert.Equal(["12345678", "87654321"], setup.BackupCodes);
        var provider = Assert.Single(providers);
        Assert.Equal(("github", "42", "ada@northwind.dev"), (provider.Provider, provider.ProviderId, provider.Email));
        Assert.Equal((false, true, 3), (erased.AlreadyErased, erased.Anonymized, erased.SessionsRevoked));
        Assert.Equal("User data anonymized and account disabled", erased.Message);
    }

    [Fact]
    public async Task A_2fa_setup_without_a_manual_key_offers_the_secret()
    {
        _server.Answer("/api/users/2fa/setup", Wire.Json(200, """{"secret":"JBSWY3DPEHPK3PXP"}"""));
        using var client = await _server.SignedInClientAsync();

        var setup = await client.Users.SetUpTwoFactorAsync(Wire.Ct);

        Assert.Equal(("JBSWY3DPEHPK3PXP", null), (setup.ManualEntryKey, setup.QrCode));
        Assert.Empty(setup.BackupCodes);
    }

    [Fact]
    public async Task A_successful_erase_signs_out_even_when_its_answer_cannot_be_read()
    {
        _server.Answer("/api/users/me/erase", Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html>ok</html>"));
        using var client = await _server.SignedInClientAsync();
        var changes = new List<SessionChangeReason>();
        client.Auth.SessionChanged += (_, e) => changes.Add(e.Reason);

        var ex = await Errors.ExpectAsync<MudbaseException>(() => client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "DELETE" }, Wire.Ct));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Errors.AssertNoRefitTypes(ex);
        Assert.Null(client.Auth.CurrentSession);
        Assert.Equal([SessionChangeReason.SignedOut], changes);
    }

    [Theory]
    [InlineData(400, """{"error":"Current password is incorrect"}""", typeof(MudbaseValidationException))]
    [InlineData(409, """{"error":"Transfer your organizations first","soleOwnedOrgs":["n"]}""", typeof(MudbaseConflictException))]
    public async Task A_refused_erase_keeps_the_session(int status, string body, Type expected)
    {
        _server.Answer("/api/users/me/erase", Wire.Json(status, body));
        using var client = await _server.SignedInClientAsync();

        var ex = await Errors.CatchAsync(() => client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "DELETE" }, Wire.Ct));

        Assert.IsType(expected, ex);
        Assert.NotNull(client.Auth.CurrentSession);
    }

    [Fact]
    public async Task An_erase_whose_answer_is_lost_is_not_sent_again()
    {
        _server.Answer("/api/users/me/erase", Wire.Json(200, EraseJson));
        using var lossy = LostAnswerHandler.Client(_server, drops: 1);
        var client = lossy.WithSession(HandMadeSession.Fresh());

        await Assert.ThrowsAsync<MudbaseTransportException>(() => client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "DELETE" }, Wire.Ct));

        Assert.Single(UserRequests());
    }

    [Fact]
    public async Task A_password_change_answered_with_new_tokens_replaces_the_session()
    {
        const string newToken = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjY4NWFjYmUwIn0.bmV3LXRva2Vu";
        _server.Answer("/api/users/password", Wire.Json(200, $$"""{"message":"Password changed successfully","token":"{{newToken}}","refreshToken":"rt_new","expiresIn":1800}"""));
        using var client = await _server.SignedInClientAsync();
        var user = client.Auth.CurrentSession!.User;
        var changes = new List<SessionChangedEventArgs>();
        client.Auth.SessionChanged += (_, e) => changes.Add(e);

        await client.Users.ChangePasswordAsync("0ld-secret-pw", "N3w-secret-pw", Wire.Ct);

        Assert.Equal((newToken, "rt_new", 1800), (client.Auth.CurrentSession!.Token, client.Auth.CurrentSession.RefreshToken, client.Auth.CurrentSession.ExpiresIn));
        Assert.Same(user, client.Auth.CurrentSession.User);
        Assert.Equal(SessionChangeReason.SignedIn, Assert.Single(changes).Reason);
    }

    [Fact]
    public async Task A_password_change_answered_with_a_message_keeps_the_session()
    {
        AnswerEveryCall();
        using var client = await _server.SignedInClientAsync();
        var session = client.Auth.CurrentSession;

        await client.Users.ChangePasswordAsync("0ld-secret-pw", "N3w-secret-pw", Wire.Ct);

        Assert.Same(session, client.Auth.CurrentSession);
    }

    [Theory]
    [InlineData("/api/users/me", "<html>502</html>")]
    [InlineData("/api/users/me", """{"message":"no user here"}""")]
    [InlineData("/api/users/2fa/setup", """{"qrCode":"data:,"}""")]
    [InlineData("/api/users/me/oauth-providers", """{"providers":"github"}""")]
    [InlineData("/api/users/me/export", """[1,2]""")]
    public async Task A_strange_success_answer_is_a_mudbase_exception(string path, string body)
    {
        _server.Answer(path, Wire.Json(200, body));
        using var client = await _server.SignedInClientAsync();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => path switch
        {
            "/api/users/me" => client.Users.GetMeAsync(Wire.Ct),
            "/api/users/2fa/setup" => client.Users.SetUpTwoFactorAsync(Wire.Ct),
            "/api/users/me/export" => client.Users.ExportDataAsync(Wire.Ct),
            _ => client.Users.GetLinkedProvidersAsync(Wire.Ct),
        });

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Errors.AssertNoRefitTypes(ex);
    }

    [Theory]
    [InlineData(400, """{"error":"Invalid 2FA token"}""", typeof(MudbaseValidationException))]
    [InlineData(429, """{"error":"Too many requests, please try again later.","retryAfter":900}""", typeof(MudbaseRateLimitException))]
    [InlineData(404, """{"error":"Provider not linked"}""", typeof(MudbaseNotFoundException))]
    public async Task Error_bodies_become_their_exceptions_with_the_servers_message(int status, string body, Type expected)
    {
        _server.Answer("/api/users/2fa/verify", Wire.Json(status, body));
        using var client = await _server.SignedInClientAsync(configure: o => o.Retry.MaxRetries = 0);

        var ex = await Errors.CatchAsync(() => client.Users.VerifyTwoFactorAsync("123456", Wire.Ct));

        Assert.IsType(expected, ex);
        Assert.Contains(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_anything_is_sent()
    {
        AnswerEveryCall();
        using var client = await _server.SignedInClientAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => client.Users.UpdateProfileAsync(new UpdateProfileRequest(), Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Users.UpdateProfileAsync(new UpdateProfileRequest { LastName = " " }, Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Users.ChangePasswordAsync("", "N3w-secret-pw", Wire.Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.Users.VerifyTwoFactorAsync(null!, Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Users.DisableTwoFactorAsync("pw", " ", Wire.Ct));
        var unconfirmed = await Assert.ThrowsAsync<ArgumentException>(() => client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "delete" }, Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Users.UnlinkProviderAsync(" ", Wire.Ct));

        Assert.Equal("request.Confirm", unconfirmed.ParamName);
        Assert.Empty(UserRequests());
    }

    [Fact]
    public void The_link_url_is_built_without_a_request()
    {
        using var client = _server.Client();

        var plain = client.Users.GetLinkProviderUrl("github");
        var back = client.Users.GetLinkProviderUrl("google", new Uri("https://app.northwind.dev/done"));

        Assert.Equal(new Uri(_server.BaseUrl(), $"api/users/me/oauth-providers/link/github?projectId={Wire.ProjectId}"), plain);
        Assert.Equal(new Uri(_server.BaseUrl(), $"api/users/me/oauth-providers/link/google?projectId={Wire.ProjectId}&redirect_url=https%3A%2F%2Fapp.northwind.dev%2Fdone"), back);
        Assert.Throws<ArgumentException>(() => client.Users.GetLinkProviderUrl("github", new Uri("/done", UriKind.Relative)));
        Assert.Empty(_server.Requests());
    }
}
