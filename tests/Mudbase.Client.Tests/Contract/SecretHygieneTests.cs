using Mudbase.Auth;
using Mudbase.Tests.Support;
using Mudbase.Users;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>Passwords, tokens and API keys never show in exception texts, ToString() or kept response bodies.</summary>
public sealed class SecretHygieneTests : IDisposable
{
    private const string ApiKey = "mb_live_k3y_t0p_s3cr3t_0123456789";
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    private const string CurrentPassword = "Curr3nt-pw-s3cret";
    private const string NewPassword = "N3w-pw-s3cret-value";
    private const string TotpCode = "493817";
    private const string TotpSecret = "JBSWY3DPEHPK3PXPSECRET";

    private static readonly string[] Secrets =
        [Wire.NewRegisterRequest().Password, Bodies.AccessToken, Bodies.RefreshToken, ApiKey, CurrentPassword, NewPassword, TotpCode, TotpSecret];

    private static void AssertShowsNoSecret(string? text, string what)
    {
        if (text is null)
        {
            return;
        }

        foreach (var secret in Secrets)
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{what} shows a secret ({secret[..6]}…): {text}");
        }
    }

    private static void AssertExceptionShowsNoSecret(Exception ex)
    {
        AssertShowsNoSecret(ex.Message, "Message");
        AssertShowsNoSecret(ex.ToString(), "ToString()");
        if (ex is MudbaseException mudbase)
        {
            AssertShowsNoSecret(mudbase.ResponseBody, "ResponseBody");
        }
    }

    public static TheoryData<string> FailingAnswers => new()
    {
        "400 validation echoing the fields",
        "401",
        "409 duplicate",
        "500 html",
        "503 with retry-after",
        "201 with tokens but a bad type",
        "201 truncated inside the token",
    };

    [Theory]
    [MemberData(nameof(FailingAnswers))]
    public async Task A_failed_register_shows_no_password_token_or_api_key(string answer)
    {
        var pw = Wire.NewRegisterRequest().Password;
        _server.Answer(Wire.RegisterPath, answer switch
        {
            "400 validation echoing the fields" => Wire.Json(400, $$$"""{"error":"Validation failed","details":["\"email\" must be a valid email"],"body":{"email":"ada@northwind.dev","password":"{{{pw}}}"}}"""),
            "401" => Wire.Json(401, """{"error":"Invalid API key"}"""),
            "409 duplicate" => Wire.Json(409, """{"error":"User already exists"}"""),
            "500 html" => Response.Create().WithStatusCode(500).WithHeader("Content-Type", "text/html").WithBody("<html>oops</html>"),
            "503 with retry-after" => Wire.Json(503, """{"error":"busy"}""").WithHeader("Retry-After", "0"),
            "201 with tokens but a bad type" => Wire.Json(201, $$"""{"requireVerification":false,"token":"{{Bodies.AccessToken}}","refreshToken":"{{Bodies.RefreshToken}}","expiresIn":"half an hour"}"""),
            "201 truncated inside the token" => Wire.Json(201, $$"""{"requireVerification":false,"refreshToken":"{{Bodies.RefreshToken}}","token":"{{Bodies.AccessToken}}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(answer)),
        });
        using var client = _server.Client(o => o.ApiKey = ApiKey);

        var ex = await Errors.CatchAsync(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.IsAssignableFrom<MudbaseException>(ex);
        AssertExceptionShowsNoSecret(ex);
    }

    [Theory]
    [InlineData(RawBehaviour.CloseWithoutAnswer)]
    [InlineData(RawBehaviour.Reset)]
    public async Task A_register_whose_connection_drops_shows_no_password_or_api_key(RawBehaviour behaviour)
    {
        await using var raw = new RawTcpServer(behaviour);
        using var client = new MudbaseClient(Wire.Options(raw.Url, o => o.ApiKey = ApiKey));

        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        AssertExceptionShowsNoSecret(ex);
        Assert.Contains(Wire.NewRegisterRequest().Password, Assert.Single(raw.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_register_that_times_out_shows_no_password_or_api_key()
    {
        using var hanging = new HangingAnswer(_server, Wire.RegisterPath);
        using var client = _server.Client(o =>
        {
            o.ApiKey = ApiKey;
            o.Timeout = TimeSpan.FromMilliseconds(150);
        });

        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.True(ex.IsTimeout);
        AssertExceptionShowsNoSecret(ex);
    }

    [Fact]
    public async Task An_argument_error_shows_no_password()
    {
        using var client = _server.Client(o => o.ApiKey = ApiKey);
        var request = Wire.NewRegisterRequest();
        request.LastName = " ";

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.Auth.RegisterAsync(request, Wire.Ct));

        AssertExceptionShowsNoSecret(ex);
    }

    [Fact]
    public async Task A_redirect_to_another_origin_does_not_carry_the_api_key_there()
    {
        using var elsewhere = Wire.StartServer();
        elsewhere.AnswerAll(Wire.Json(200, Bodies.AnonymousSession()));
        _server.Answer(Wire.AnonymousPath, Response.Create().WithStatusCode(302).WithHeader("Location", new Uri(elsewhere.BaseUrl(), Wire.AnonymousPath).ToString()));
        using var client = _server.Client(o => o.ApiKey = ApiKey);

        await Record.ExceptionAsync(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.All(elsewhere.Requests(), r => Assert.Null(r.Header("X-API-Key")));
    }

    [Fact]
    public async Task ResponseBody_masks_token_refreshToken_and_password_values()
    {
        var pw = Wire.NewRegisterRequest().Password;
        _server.Answer(Wire.RegisterPath, Wire.Json(400,
            $$"""{"error":"bad","password":"{{pw}}","token":"{{Bodies.AccessToken}}","refreshToken":"{{Bodies.RefreshToken}}","email":"ada@northwind.dev"}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal("""{"error":"bad","password":"***","token":"***","refreshToken":"***","email":"ada@northwind.dev"}""", ex.ResponseBody);
    }

    [Fact]
    public async Task ResponseBody_masks_secret_values_that_contain_escaped_quotes()
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(400, """{"error":"bad","password":"pa\"ss\\\"word","next":"visible"}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal("""{"error":"bad","password":"***","next":"visible"}""", ex.ResponseBody);
    }

    [Fact]
    public async Task A_token_cut_by_the_4096_character_limit_is_not_partly_shown()
    {
        // The token starts a few characters before the cut: what is kept must not hold its beginning.
        const string token = "tok_SECRETSECRETSECRETSECRETSECRETSECRETSECRET";
        var prefix = """{"error":"bad","padding":""";
        var filler = new string('x', 4096 - prefix.Length - "\",\"token\":\"tok_SEC".Length);
        var body = prefix + filler + "\",\"token\":\"" + token + "\"}";
        Assert.Equal("tok_SEC", body.Substring(4089, 7));
        _server.Answer(Wire.AnonymousPath, Wire.Json(400, body));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.NotNull(ex.ResponseBody);
        Assert.DoesNotContain("tok_SEC", ex.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToString_of_requests_sessions_results_and_options_shows_no_secret()
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(201, Bodies.RegisterWithTokens()));
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        var options = Wire.Options(_server.BaseUrl(), o => o.ApiKey = ApiKey);
        using var client = new MudbaseClient(options);
        var request = Wire.NewRegisterRequest();

        var result = await client.Auth.RegisterAsync(request, Wire.Ct);
        var session = await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        Assert.NotNull(result.Session);
        AssertShowsNoSecret(request.ToString(), "RegisterRequest.ToString()");
        AssertShowsNoSecret(result.ToString(), "RegisterResult.ToString()");
        AssertShowsNoSecret(result.Session.ToString(), "AuthSession.ToString()");
        AssertShowsNoSecret(session.ToString(), "AuthSession.ToString()");
        AssertShowsNoSecret(options.ToString(), "MudbaseClientOptions.ToString()");
        AssertShowsNoSecret(client.Options.ToString(), "MudbaseClientOptions.ToString() of the client's copy");
        // Still useful for debugging: the non-secret parts are there.
        Assert.Contains("ada@northwind.dev", request.ToString(), StringComparison.Ordinal);
        Assert.Contains(Bodies.UserId, session.ToString(), StringComparison.Ordinal);
        Assert.Contains(_server.BaseUrl().ToString(), options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_of_a_session_built_by_hand_shows_no_token()
    {
        var user = new MudbaseUser();
        var session = new AuthSession(Bodies.AccessToken, Bodies.RefreshToken, 60, DateTimeOffset.UnixEpoch, user);
        var result = new RegisterResult(false, null, session, "ok");

        AssertShowsNoSecret(session.ToString(), "AuthSession.ToString()");
        AssertShowsNoSecret(result.ToString(), "RegisterResult.ToString()");
        Assert.Same(user, result.User);
    }

    /// <summary>Every users call that carries a password or a 2FA code, made against whatever the server answers.</summary>
    public static TheoryData<string> SecretCalls => new() { "change password", "verify 2fa", "disable 2fa", "erase" };

    private static Task CallWithSecrets(MudbaseClient client, string call) => call switch
    {
        "change password" => client.Users.ChangePasswordAsync(CurrentPassword, NewPassword, Wire.Ct),
        "verify 2fa" => client.Users.VerifyTwoFactorAsync(TotpCode, Wire.Ct),
        "disable 2fa" => client.Users.DisableTwoFactorAsync(CurrentPassword, TotpCode, Wire.Ct),
        "erase" => client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "DELETE", CurrentPassword = CurrentPassword, TwoFactorCode = TotpCode }, Wire.Ct),
        _ => throw new ArgumentOutOfRangeException(nameof(call)),
    };

    [Theory]
    [MemberData(nameof(SecretCalls))]
    public async Task A_refused_users_call_that_echoes_its_body_shows_no_password_or_code(string call)
    {
        // A server that echoes the request in its error: every secret field of the users calls is masked in what is kept.
        var echo = $$$"""{"error":"Validation failed","body":{"currentPassword":"{{{CurrentPassword}}}","newPassword":"{{{NewPassword}}}","password":"{{{CurrentPassword}}}","token":"{{{TotpCode}}}","totpToken":"{{{TotpCode}}}"}}""";
        foreach (var path in new[] { "/api/users/password", "/api/users/2fa/verify", "/api/users/2fa/disable", "/api/users/me/erase" })
        {
            _server.Answer(path, Wire.Json(400, echo));
        }

        using var client = await SignedInAsync();

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => CallWithSecrets(client, call));

        AssertExceptionShowsNoSecret(ex);
        Assert.Contains("currentPassword", ex.ResponseBody, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SecretCalls))]
    public async Task A_users_call_whose_connection_drops_shows_no_password_or_code(string call)
    {
        await using var raw = new RawTcpServer(RawBehaviour.CloseWithoutAnswer);
        using var lossy = new MudbaseClient(Wire.Options(raw.Url));
        var client = lossy.WithSession(HandMadeSession.Fresh());

        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => call switch
        {
            "change password" => client.Users.ChangePasswordAsync(CurrentPassword, NewPassword, Wire.Ct),
            "verify 2fa" => client.Users.VerifyTwoFactorAsync(TotpCode, Wire.Ct),
            "disable 2fa" => client.Users.DisableTwoFactorAsync(CurrentPassword, TotpCode, Wire.Ct),
            _ => client.Users.EraseAccountAsync(new EraseAccountRequest { Confirm = "DELETE", CurrentPassword = CurrentPassword, TwoFactorCode = TotpCode }, Wire.Ct),
        });

        AssertExceptionShowsNoSecret(ex);
    }

    [Fact]
    public async Task A_2fa_setup_answer_of_the_wrong_shape_keeps_no_secret()
    {
        _server.Answer("/api/users/2fa/setup", Wire.Json(200,
            $$"""{"secret":"{{TotpSecret}}","manualEntryKey":"{{TotpSecret}}","qrCode":"data:image/png;base64,{{TotpSecret}}","backupCodes":7}"""));
        using var client = await SignedInAsync();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => client.Users.SetUpTwoFactorAsync(Wire.Ct));

        Assert.Equal(System.Net.HttpStatusCode.OK, ex.StatusCode);
        Assert.NotNull(ex.ResponseBody);
        AssertExceptionShowsNoSecret(ex);
    }

    [Fact]
    public async Task Users_calls_log_no_password_code_or_secret()
    {
        using var logs = new CapturingLoggerProvider();
        using var factory = logs.CreateFactory();
        _server.Answer("/api/users/2fa/setup", Wire.Json(200, $$"""{"secret":"{{TotpSecret}}","manualEntryKey":"{{TotpSecret}}"}"""));
        _server.Answer("/api/users/password", Wire.Json(400, """{"error":"Current password is incorrect"}"""));
        _server.Answer("/api/users/2fa/verify", Wire.Json(200, """{"message":"2FA enabled successfully"}"""));
        using var client = await SignedInAsync(o => o.LoggerFactory = factory);

        var setup = await client.Users.SetUpTwoFactorAsync(Wire.Ct);
        await client.Users.VerifyTwoFactorAsync(TotpCode, Wire.Ct);
        await Record.ExceptionAsync(() => client.Users.ChangePasswordAsync(CurrentPassword, NewPassword, Wire.Ct));

        Assert.NotEmpty(logs.Lines);
        AssertShowsNoSecret(string.Join("\n", logs.Lines.Select(line => line.Message)), "the log");
        Assert.Equal(TotpSecret, setup.Secret);
    }

    [Fact]
    public void ToString_of_the_users_requests_and_results_shows_no_secret()
    {
        var erase = new EraseAccountRequest { Confirm = "DELETE", CurrentPassword = CurrentPassword, TwoFactorCode = TotpCode };
        var setup = new TwoFactorSetup { Secret = TotpSecret, ManualEntryKey = TotpSecret, QrCode = "data:image/png;base64," + TotpSecret, BackupCodes = [TotpCode] };
        var update = new UpdateProfileRequest { FirstName = "Ada" };

        AssertShowsNoSecret(erase.ToString(), "EraseAccountRequest.ToString()");
        AssertShowsNoSecret(setup.ToString(), "TwoFactorSetup.ToString()");
        Assert.Contains("DELETE", erase.ToString(), StringComparison.Ordinal);
        Assert.Contains("Ada", update.ToString(), StringComparison.Ordinal);
    }

    private async Task<MudbaseClient> SignedInAsync(Action<MudbaseClientOptions>? configure = null)
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        var client = _server.Client(configure);
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        return client;
    }
}
