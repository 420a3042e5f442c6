using System.Net;
using System.Text.Json;
using Mudbase.Tests.Support;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>Every error shape of CONTRACT.md, as the user catches it.</summary>
public sealed class ErrorMappingTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData(400, """{"error":"Validation failed","details":["\"email\" must be a valid email"]}""", typeof(MudbaseValidationException), null, "HTTP 400: Validation failed: \"email\" must be a valid email")]
    [InlineData(400, """{"error":"projectId is required"}""", typeof(MudbaseValidationException), null, "HTTP 400: projectId is required")]
    [InlineData(422, """{"error":"Unprocessable","code":"VALIDATION_ERROR","details":{"field":"email"}}""", typeof(MudbaseValidationException), "VALIDATION_ERROR", "HTTP 422 VALIDATION_ERROR: Unprocessable")]
    [InlineData(401, """{"error":"Invalid API key"}""", typeof(MudbaseAuthenticationException), null, "HTTP 401: Invalid API key")]
    [InlineData(401, """{"message":"jwt expired"}""", typeof(MudbaseAuthenticationException), null, "HTTP 401: jwt expired")]
    [InlineData(403, """{"error":"Access denied","code":"FORBIDDEN"}""", typeof(MudbaseForbiddenException), "FORBIDDEN", "HTTP 403 FORBIDDEN: Access denied")]
    [InlineData(403, """{"success":false,"error":"feature_not_allowed","resource":"storage","action":"upload","message":"Upgrade your plan"}""", typeof(MudbaseForbiddenException), null, "HTTP 403: feature_not_allowed")]
    [InlineData(404, """{"error":"Project not found","code":"NOT_FOUND"}""", typeof(MudbaseNotFoundException), "NOT_FOUND", "HTTP 404 NOT_FOUND: Project not found")]
    [InlineData(409, """{"error":"User already exists","code":"CONFLICT"}""", typeof(MudbaseConflictException), "CONFLICT", "HTTP 409 CONFLICT: User already exists")]
    [InlineData(413, """{"error":"File too large","maxFileUploadBytes":10485760}""", typeof(Mudbase.Storage.MudbaseFileTooLargeException), null, "HTTP 413: File too large")]
    [InlineData(429, """{"error":"Too many requests from this IP, please try again later."}""", typeof(MudbaseRateLimitException), null, "HTTP 429: Too many requests from this IP, please try again later.")]
    [InlineData(500, """{"error":"Internal server error","code":"INTERNAL_ERROR"}""", typeof(MudbaseServerException), "INTERNAL_ERROR", "HTTP 500 INTERNAL_ERROR: Internal server error")]
    [InlineData(501, """{"error":"Not implemented"}""", typeof(MudbaseServerException), null, "HTTP 501: Not implemented")]
    [InlineData(503, """{"error":"Service temporarily unavailable. Please try again later.","code":"SERVICE_UNAVAILABLE"}""", typeof(MudbaseServerException), "SERVICE_UNAVAILABLE", "HTTP 503 SERVICE_UNAVAILABLE: Service temporarily unavailable. Please try again later.")]
    [InlineData(418, """{"error":"I'm a teapot"}""", typeof(MudbaseException), null, "HTTP 418: I'm a teapot")]
    [InlineData(302, """{"error":"Moved"}""", typeof(MudbaseException), null, "HTTP 302: Moved")]
    public async Task Each_error_status_maps_to_its_exception_type_code_and_message(int status, string body, Type expectedType, string? expectedCode, string expectedMessage)
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(status, body));
        using var client = _server.Client();

        var ex = await Errors.CatchAsync(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal(expectedType, ex.GetType());
        var mudbase = Assert.IsAssignableFrom<MudbaseException>(ex);
        Assert.Equal((HttpStatusCode)status, mudbase.StatusCode);
        Assert.Equal(expectedCode, mudbase.ErrorCode);
        Assert.Equal(expectedMessage, mudbase.Message);
        Assert.Equal(body, mudbase.ResponseBody);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task The_message_reads_status_code_error_and_request_id()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(429, """{"error":"Too many requests","code":"RATE_LIMITED","requestId":"r-123"}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseRateLimitException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Equal("HTTP 429 RATE_LIMITED: Too many requests (request id r-123)", ex.Message);
        Assert.Equal("r-123", ex.RequestId);
    }

    [Fact]
    public async Task Email_verification_required_is_a_forbidden_exception_that_says_so()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(403,
            """{"error":"Email not verified","code":"EMAIL_VERIFICATION_REQUIRED","message":"Please verify your email before logging in"}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseForbiddenException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.True(ex.IsEmailVerificationRequired);
        Assert.Equal("EMAIL_VERIFICATION_REQUIRED", ex.ErrorCode);
        Assert.Equal("HTTP 403 EMAIL_VERIFICATION_REQUIRED: Email not verified", ex.Message);
    }

    [Fact]
    public async Task A_forbidden_answer_with_another_code_is_not_email_verification()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(403, """{"success":false,"error":"feature_not_allowed","resource":"auth","action":"anonymous","message":"Upgrade"}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseForbiddenException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.False(ex.IsEmailVerificationRequired);
    }

    [Theory]
    [InlineData("""{"userRole":"viewer","customRole":"none"}""", "HTTP 403: Forbidden")]
    [InlineData("""{"required":["admin","editor"],"current":"viewer"}""", "HTTP 403: Forbidden: needs one of the roles admin, editor (role viewer)")]
    public async Task A_permission_answer_without_an_error_key_puts_the_whole_body_in_Details_and_the_status_text_in_the_message(string body, string message)
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(403, body));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseForbiddenException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.NotNull(ex.Details);
        Assert.Equal(JsonValueKind.Object, ex.Details.Value.ValueKind);
        Assert.Equal(body, ex.Details.Value.GetRawText());
        Assert.Equal(message, ex.Message);
        Assert.Null(ex.ErrorCode);
    }

    [Fact]
    public async Task Details_as_a_string_is_kept_and_joins_the_message()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(429, """{"error":"Rate limit exceeded","code":"RATE_LIMITED","details":"5 per 15 minutes","retryAfter":60}"""));
        using var client = _server.Client(o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(1));

        var ex = await Errors.ExpectAsync<MudbaseRateLimitException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Equal(JsonValueKind.String, ex.Details!.Value.ValueKind);
        Assert.Equal("5 per 15 minutes", ex.Details.Value.GetString());
        Assert.Equal("HTTP 429 RATE_LIMITED: Rate limit exceeded: 5 per 15 minutes", ex.Message);
        Assert.Equal(TimeSpan.FromSeconds(60), ex.RetryAfter);
    }

    [Fact]
    public async Task Details_as_an_object_is_kept_whole()
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(422, """{"error":"Invalid","details":{"email":"taken","password":{"min":8}}}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal("""{"email":"taken","password":{"min":8}}""", ex.Details!.Value.GetRawText());
    }

    [Fact]
    public async Task Details_as_an_array_of_strings_is_kept_and_listed_in_the_message()
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(400,
            """{"error":"Validation failed","details":["\"email\" must be a valid email","\"password\" length must be at least 8 characters long"]}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal(JsonValueKind.Array, ex.Details!.Value.ValueKind);
        Assert.Equal(2, ex.Details.Value.GetArrayLength());
        Assert.Equal(
            "HTTP 400: Validation failed: \"email\" must be a valid email; \"password\" length must be at least 8 characters long",
            ex.Message);
    }

    [Fact]
    public async Task The_request_id_comes_from_the_x_request_id_header_when_the_body_has_none()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(404, """{"error":"Project not found"}""").WithHeader("x-request-id", "hdr-77"));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseNotFoundException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Equal("hdr-77", ex.RequestId);
        Assert.Equal("HTTP 404: Project not found (request id hdr-77)", ex.Message);
    }

    [Fact]
    public async Task The_body_request_id_wins_over_the_header()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(500,
            """{"error":"Internal error","code":"INTERNAL_ERROR","details":"db down","timestamp":"2025-06-24T15:00:00.000Z","path":"/api/auth/anonymous","requestId":"body-1"}""")
            .WithHeader("x-request-id", "hdr-2"));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseServerException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Equal("body-1", ex.RequestId);
        Assert.Equal("db down", ex.Details!.Value.GetString());
    }

    [Fact]
    public async Task Rate_limit_headers_are_read_into_RateLimit_and_reset_gives_RetryAfter()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(429, """{"error":"Too many requests from this IP, please try again later."}""")
            .WithHeader("ratelimit-limit", "5")
            .WithHeader("ratelimit-remaining", "0")
            .WithHeader("ratelimit-reset", "900")
            .WithHeader("ratelimit-policy", "5;w=900"));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseRateLimitException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Equal(new RateLimitInfo(5, 0, TimeSpan.FromSeconds(900), "5;w=900"), ex.RateLimit);
        Assert.Equal(TimeSpan.FromSeconds(900), ex.RetryAfter);
    }

    [Fact]
    public async Task An_answer_without_rate_limit_headers_has_no_RateLimit_and_no_RetryAfter()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(409, """{"error":"Conflict"}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseConflictException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Null(ex.RateLimit);
        Assert.Null(ex.RetryAfter);
    }

    [Theory]
    [InlineData(400, typeof(MudbaseValidationException), "Bad Request")]
    [InlineData(401, typeof(MudbaseAuthenticationException), "Unauthorized")]
    [InlineData(403, typeof(MudbaseForbiddenException), "Forbidden")]
    [InlineData(404, typeof(MudbaseNotFoundException), "Not Found")]
    [InlineData(409, typeof(MudbaseConflictException), "Conflict")]
    [InlineData(429, typeof(MudbaseRateLimitException), "Too Many Requests")]
    [InlineData(502, typeof(MudbaseServerException), "Bad Gateway")]
    [InlineData(504, typeof(MudbaseServerException), "Gateway Timeout")]
    public async Task An_html_error_page_still_gives_the_subclass_of_its_status_and_the_status_text(int status, Type expectedType, string statusText)
    {
        const string html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        _server.Answer(Wire.RegisterPath, Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/html").WithBody(html));
        using var client = _server.Client();

        var ex = await Errors.CatchAsync(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal(expectedType, ex.GetType());
        var mudbase = (MudbaseException)ex;
        Assert.Equal((HttpStatusCode)status, mudbase.StatusCode);
        Assert.Equal($"HTTP {status}: {statusText}", mudbase.Message);
        Assert.Equal(html, mudbase.ResponseBody);
        Assert.Null(mudbase.Details);
    }

    [Theory]
    [InlineData(400, typeof(MudbaseValidationException))]
    [InlineData(401, typeof(MudbaseAuthenticationException))]
    [InlineData(404, typeof(MudbaseNotFoundException))]
    [InlineData(429, typeof(MudbaseRateLimitException))]
    [InlineData(500, typeof(MudbaseServerException))]
    [InlineData(502, typeof(MudbaseServerException))]
    [InlineData(504, typeof(MudbaseServerException))]
    public async Task An_empty_error_body_still_gives_the_subclass_of_its_status(int status, Type expectedType)
    {
        _server.Answer(Wire.RegisterPath, Response.Create().WithStatusCode(status));
        using var client = _server.Client();

        var ex = await Errors.CatchAsync(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal(expectedType, ex.GetType());
        var mudbase = (MudbaseException)ex;
        Assert.Equal((HttpStatusCode)status, mudbase.StatusCode);
        Assert.StartsWith($"HTTP {status}: ", mudbase.Message, StringComparison.Ordinal);
        Assert.True(string.IsNullOrEmpty(mudbase.ResponseBody));
        Assert.Null(mudbase.ErrorCode);
        Assert.Null(mudbase.Details);
    }

    [Fact]
    public async Task A_big_error_body_is_kept_cut_at_4096_characters()
    {
        var page = "<html><body>" + new string('x', 10_000) + "</body></html>";
        _server.Answer(Wire.AnonymousPath, Response.Create().WithStatusCode(502).WithHeader("Content-Type", "text/html").WithBody(page));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseServerException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Equal(4096, ex.ResponseBody!.Length);
        Assert.Equal(page[..4096], ex.ResponseBody);
    }

    [Fact]
    public async Task A_huge_json_error_body_is_cut_and_still_gives_the_status_subclass()
    {
        var body = """{"error":"Validation failed","details":[""" + string.Join(",", Enumerable.Repeat("\"padding padding padding\"", 5000)) + "]}";
        _server.Answer(Wire.RegisterPath, Wire.Json(400, body));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal(4096, ex.ResponseBody!.Length);
        Assert.Equal(body[..4096], ex.ResponseBody);
    }

    [Fact]
    public void Every_public_exception_of_the_sdk_derives_from_MudbaseException_and_none_from_Refit()
    {
        var exceptionTypes = typeof(MudbaseClient).Assembly.GetExportedTypes()
            .Where(t => typeof(Exception).IsAssignableFrom(t))
            .ToList();

        Assert.Contains(typeof(MudbaseException), exceptionTypes);
        Assert.Equal(typeof(Exception), typeof(MudbaseException).BaseType);
        Assert.All(exceptionTypes, t =>
        {
            Assert.True(typeof(MudbaseException).IsAssignableFrom(t), $"{t} does not derive from MudbaseException");
            Assert.False(typeof(Refit.ApiException).IsAssignableFrom(t), $"{t} derives from Refit.ApiException");
        });
        Assert.Equal(
            new[]
            {
                nameof(MudbaseAuthenticationException), nameof(MudbaseConflictException), nameof(MudbaseException),
                nameof(Mudbase.Storage.MudbaseFileTooLargeException), nameof(MudbaseForbiddenException), nameof(Functions.MudbaseFunctionException),
                nameof(Functions.MudbaseFunctionTimeoutException), nameof(MudbaseNotFoundException), nameof(MudbaseRateLimitException),
                nameof(MudbaseServerException), nameof(MudbaseTransportException), nameof(MudbaseValidationException),
            },
            exceptionTypes.Select(t => t.Name).Order(StringComparer.Ordinal));
    }
}
