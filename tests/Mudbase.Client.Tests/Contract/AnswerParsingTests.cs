using System.Text.Json;
using Mudbase.Auth;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>How the live answers of both calls come out to the user: sessions, register results, users.</summary>
public sealed class AnswerParsingTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Register_answered_201_with_requireVerification_and_a_user_gives_no_session_and_keeps_the_user()
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(201, Bodies.RegisterVerificationWithUser));
        using var client = _server.Client();

        var result = await client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct);

        Assert.True(result.RequireVerification);
        Assert.Null(result.Session);
        Assert.Null(result.Token);
        Assert.Null(result.RefreshToken);
        Assert.Null(result.ExpiresIn);
        Assert.Equal("Check your email to verify your account", result.Message);
        Assert.NotNull(result.User);
        Assert.Equal(Bodies.UserId, result.User.Id);
        Assert.Equal("ada@northwind.dev", result.User.Email);
        Assert.False(result.User.EmailVerified);
    }

    [Fact]
    public async Task Register_answered_201_with_requireVerification_and_no_user_gives_no_session_and_no_user()
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(201, Bodies.RegisterVerificationWithoutUser));
        using var client = _server.Client();

        var result = await client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct);

        Assert.True(result.RequireVerification);
        Assert.Null(result.Session);
        Assert.Null(result.Token);
        Assert.Null(result.User);
        Assert.Equal("Check your email to verify your account", result.Message);
    }

    [Fact]
    public async Task Register_answered_201_with_tokens_gives_a_session_that_expires_expiresIn_seconds_after_arrival()
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(201, Bodies.RegisterWithTokens(expiresIn: 1800)));
        using var client = _server.Client();

        var before = DateTimeOffset.UtcNow;
        var result = await client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct);
        var after = DateTimeOffset.UtcNow;

        Assert.False(result.RequireVerification);
        var session = Assert.IsType<AuthSession>(result.Session);
        Assert.Equal(Bodies.AccessToken, session.Token);
        Assert.Equal(Bodies.RefreshToken, session.RefreshToken);
        Assert.Equal(Bodies.AccessToken, result.Token);
        Assert.Equal(Bodies.RefreshToken, result.RefreshToken);
        Assert.Equal(1800, session.ExpiresIn);
        Assert.Equal(1800, result.ExpiresIn);
        Assert.InRange(session.ExpiresAt, before.AddSeconds(1800), after.AddSeconds(1800));
        Assert.Same(session.User, result.User);
        Assert.Equal(Bodies.UserId, session.User.Id);
        Assert.True(session.User.EmailVerified);
    }

    [Fact]
    public async Task Anonymous_session_uses_the_servers_expiresIn_counted_on_the_clients_clock()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession(expiresIn: 86400)));
        var clock = new ManualClock();
        using var client = Wire.Client(_server.BaseUrl(), new SocketsHttpHandler(), clock);

        var session = await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        Assert.Equal(86400, session.ExpiresIn);
        Assert.Equal(ManualClock.Start.AddSeconds(86400), session.ExpiresAt);
        Assert.Equal("Anonymous session created", session.Message);
    }

    [Fact]
    public async Task Anonymous_session_carries_every_documented_user_field()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        using var client = _server.Client();

        var user = (await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct)).User;

        Assert.Equal(Bodies.UserId, user.Id);
        Assert.Equal("anonymous_abc123@anonymous.local", user.Email);
        Assert.Equal("Anonymous", user.FirstName);
        Assert.Equal("User", user.LastName);
        Assert.Equal("viewer", user.Role);
        Assert.True(user.IsAnonymous);
        Assert.Null(user.CustomRole);
        Assert.Empty(user.AdditionalProperties);
    }

    [Fact]
    public async Task A_user_with_underscore_id_instead_of_id_gets_that_id()
    {
        var user = await AnonymousUserFromAsync("""{"_id":"685acbe0e129932fbb7a0aaa","email":"a@b.dev","firstName":"A","lastName":"B"}""");

        Assert.Equal("685acbe0e129932fbb7a0aaa", user.Id);
        Assert.False(user.AdditionalProperties.ContainsKey("_id"));
    }

    [Theory]
    [InlineData("""{"id":"685acbe0e129932fbb7a0001","_id":"685acbe0e129932fbb7a0002"}""")]
    [InlineData("""{"_id":"685acbe0e129932fbb7a0002","id":"685acbe0e129932fbb7a0001"}""")]
    public async Task A_user_with_both_id_and_underscore_id_gets_id_whatever_the_order(string userJson)
    {
        var user = await AnonymousUserFromAsync(userJson);

        Assert.Equal("685acbe0e129932fbb7a0001", user.Id);
    }

    [Fact]
    public async Task Unknown_user_fields_are_kept_as_raw_json_in_AdditionalProperties()
    {
        var user = await AnonymousUserFromAsync(
            """{"id":"685acbe0e129932fbb7a0fc2","email":"a@b.dev","firstName":"A","lastName":"B","createdAt":"2025-06-24T15:00:00.000Z","loginCount":3,"avatar":{"url":"https://cdn.example/a.png"},"tags":["beta",1]}""");

        Assert.Equal(4, user.AdditionalProperties.Count);
        Assert.Equal("2025-06-24T15:00:00.000Z", user.AdditionalProperties["createdAt"].GetString());
        Assert.Equal(3, user.AdditionalProperties["loginCount"].GetInt32());
        Assert.Equal("""{"url":"https://cdn.example/a.png"}""", user.AdditionalProperties["avatar"].GetRawText());
        Assert.Equal("""["beta",1]""", user.AdditionalProperties["tags"].GetRawText());
    }

    [Theory]
    [InlineData("null", null)]
    [InlineData("\"editor\"", "editor")]
    [InlineData("""{"slug":"editor","name":"Editor"}""", """{"slug":"editor","name":"Editor"}""")]
    [InlineData("7", "7")]
    public async Task CustomRole_as_null_string_object_or_number_is_tolerated(string customRoleJson, string? expected)
    {
        var user = await AnonymousUserFromAsync(
            $$"""{"id":"685acbe0e129932fbb7a0fc2","email":"a@b.dev","firstName":"A","lastName":"B","customRole":{{customRoleJson}},"role":"viewer"}""");

        Assert.Equal(expected, user.CustomRole);
        // A field after customRole is still read: the converter consumed exactly its value.
        Assert.Equal("viewer", user.Role);
    }

    [Fact]
    public async Task A_user_with_null_names_gets_empty_strings()
    {
        var user = await AnonymousUserFromAsync("""{"id":"685acbe0e129932fbb7a0fc2","email":null,"firstName":null,"lastName":null}""");

        Assert.Equal("", user.Email);
        Assert.Equal("", user.FirstName);
        Assert.Equal("", user.LastName);
    }

    [Fact]
    public async Task Field_names_in_answers_match_whatever_their_case()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200,
            $$$"""{"Token":"{{{Bodies.AccessToken}}}","RefreshToken":"{{{Bodies.RefreshToken}}}","ExpiresIn":60,"User":{"Id":"685acbe0e129932fbb7a0fc2"}}"""));
        using var client = _server.Client();

        var session = await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        Assert.Equal(Bodies.AccessToken, session.Token);
        Assert.Equal(60, session.ExpiresIn);
        Assert.Equal(Bodies.UserId, session.User.Id);
    }

    private async Task<MudbaseUser> AnonymousUserFromAsync(string userJson)
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession(user: userJson)));
        using var client = _server.Client();
        var session = await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        Assert.Single(_server.Requests());
        return session.User;
    }
}
