using System.Net;
using System.Text;
using System.Text.Json;

namespace Mudbase.Tests.Unit;

/// <summary><c>ErrorResponseParser</c> on odd bodies: it never throws, and the status alone still decides the type.</summary>
public sealed class ErrorResponseParserTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static HttpResponseMessage Response(HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    private static MudbaseException Create(HttpStatusCode status, string body, bool truncated = false, params (string Name, string Value)[] headers)
    {
        using var response = Response(status, headers);
        return ErrorResponseParser.CreateException(response, Encoding.UTF8.GetBytes(body), truncated, Now);
    }

    [Fact]
    public void Nesting_deeper_than_the_parser_allows_gives_the_status_text_and_no_exception()
    {
        var body = """{"error":"deep","details":""" + new string('[', 200) + new string(']', 200) + "}";

        var ex = Create(HttpStatusCode.BadRequest, body);

        Assert.IsType<MudbaseValidationException>(ex);
        Assert.Equal("HTTP 400: Bad Request", ex.Message);
        Assert.Null(ex.Details);
        Assert.Equal(body, ex.ResponseBody);
    }

    [Fact]
    public void Moderate_nesting_is_read_normally()
    {
        var nested = new string('[', 20) + "\"x\"" + new string(']', 20);
        var ex = Create(HttpStatusCode.BadRequest, $$"""{"error":"nested","details":{{nested}}}""");

        Assert.Equal("HTTP 400: nested", ex.Message);
        Assert.Equal(nested, ex.Details!.Value.GetRawText());
    }

    [Fact]
    public void A_binary_body_gives_the_status_subclass_and_the_status_text()
    {
        var bytes = new byte[] { 0x00, 0xFF, 0xFE, 0x7B, 0x22, 0xC3, 0x28, 0x80, 0x01, 0x1F, 0x8B, 0x08 };
        using var response = Response(HttpStatusCode.BadGateway);

        var ex = ErrorResponseParser.CreateException(response, bytes, truncated: false, Now);

        Assert.IsType<MudbaseServerException>(ex);
        Assert.Equal("HTTP 502: Bad Gateway", ex.Message);
        Assert.Null(ex.Details);
        Assert.NotNull(ex.ResponseBody);
    }

    [Fact]
    public void A_body_that_starts_like_json_then_turns_binary_is_not_parsed()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"error":"x""").Concat(new byte[] { 0xFF, 0x00, 0xC3 }).ToArray();
        using var response = Response(HttpStatusCode.NotFound);

        var ex = ErrorResponseParser.CreateException(response, bytes, truncated: false, Now);

        Assert.IsType<MudbaseNotFoundException>(ex);
        Assert.Equal("HTTP 404: Not Found", ex.Message);
    }

    [Theory]
    [InlineData("""["Validation failed"]""")]
    [InlineData("\"Validation failed\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("   ")]
    public void A_json_body_that_is_not_an_object_gives_no_code_no_details_and_the_status_text(string body)
    {
        var ex = Create(HttpStatusCode.UnprocessableEntity, body);

        Assert.IsType<MudbaseValidationException>(ex);
        Assert.Null(ex.ErrorCode);
        Assert.Null(ex.Details);
        Assert.Equal("HTTP 422: Unprocessable Entity", ex.Message);
    }

    [Fact]
    public void Whitespace_before_the_object_is_allowed()
    {
        var ex = Create(HttpStatusCode.Conflict, "\r\n\t  {\"error\":\"Taken\",\"code\":\"CONFLICT\"}");

        Assert.Equal("HTTP 409 CONFLICT: Taken", ex.Message);
    }

    [Theory]
    [InlineData("60", 60.0)]
    [InlineData("\"60\"", 60.0)]
    [InlineData("\"1.5\"", 1.5)]
    [InlineData("0", 0.0)]
    [InlineData("\"soon\"", null)]
    [InlineData("-5", null)]
    [InlineData("\"-5\"", null)]
    [InlineData("1e300", null)]
    [InlineData("{\"seconds\":60}", null)]
    [InlineData("null", null)]
    public void Body_retryAfter_is_read_from_numbers_and_numeric_strings_only(string retryAfterJson, double? expectedSeconds)
    {
        var ex = Create(HttpStatusCode.TooManyRequests, $$"""{"error":"Too many requests","retryAfter":{{retryAfterJson}}}""");

        Assert.IsType<MudbaseRateLimitException>(ex);
        Assert.Equal(expectedSeconds is { } s ? TimeSpan.FromSeconds(s) : null, ex.RetryAfter);
    }

    [Fact]
    public void A_retry_after_header_in_seconds_wins_over_the_body()
    {
        var ex = Create(HttpStatusCode.TooManyRequests, """{"error":"x","retryAfter":99}""", false, ("Retry-After", "7"), ("ratelimit-reset", "50"));

        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Fact]
    public void A_retry_after_date_is_counted_from_now()
    {
        var ex = Create(HttpStatusCode.ServiceUnavailable, "", false, ("Retry-After", Now.AddSeconds(90).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.FromSeconds(90), ex.RetryAfter);
    }

    [Fact]
    public void A_retry_after_date_in_the_past_means_no_wait()
    {
        var ex = Create(HttpStatusCode.ServiceUnavailable, "", false, ("Retry-After", Now.AddHours(-1).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.Zero, ex.RetryAfter);
    }

    [Fact]
    public void Unparseable_rate_limit_headers_are_ignored_one_by_one()
    {
        var ex = Create(HttpStatusCode.TooManyRequests, "{}", false, ("ratelimit-limit", "lots"), ("ratelimit-remaining", "0"), ("ratelimit-reset", "-3"), ("ratelimit-policy", "5;w=900"));

        Assert.Equal(new RateLimitInfo(null, 0, TimeSpan.Zero, "5;w=900"), ex.RateLimit);
    }

    [Fact]
    public void A_non_string_error_falls_back_to_message()
    {
        var ex = Create(HttpStatusCode.BadRequest, """{"error":{"name":"ValidationError"},"message":"email is invalid"}""");

        Assert.Equal("HTTP 400: email is invalid", ex.Message);
    }

    [Fact]
    public void A_non_string_code_is_ignored()
    {
        var ex = Create(HttpStatusCode.BadRequest, """{"error":"bad","code":400}""");

        Assert.Null(ex.ErrorCode);
        Assert.Equal("HTTP 400: bad", ex.Message);
    }

    [Fact]
    public void A_truncated_body_is_not_parsed_but_is_kept()
    {
        var ex = Create(HttpStatusCode.Forbidden, """{"error":"Access denied","code":"FORBIDDEN"}""", truncated: true);

        Assert.IsType<MudbaseForbiddenException>(ex);
        Assert.Null(ex.ErrorCode);
        Assert.Equal("HTTP 403: Forbidden", ex.Message);
        Assert.Equal("""{"error":"Access denied","code":"FORBIDDEN"}""", ex.ResponseBody);
    }

    [Fact]
    public void An_empty_body_keeps_no_response_body()
    {
        var ex = Create(HttpStatusCode.GatewayTimeout, "");

        Assert.IsType<MudbaseServerException>(ex);
        Assert.Null(ex.ResponseBody);
        Assert.Equal("HTTP 504: Gateway Timeout", ex.Message);
    }

    [Fact]
    public void The_kept_body_is_cut_on_characters_not_bytes()
    {
        var body = new string('é', 5000);

        var ex = Create(HttpStatusCode.BadGateway, body);

        Assert.Equal(new string('é', 4096), ex.ResponseBody);
    }

    [Fact]
    public void Only_the_first_five_string_details_join_the_message()
    {
        var ex = Create(HttpStatusCode.BadRequest, """{"error":"Validation failed","details":["a","b",3,"c","d","e","f","g"]}""");

        Assert.Equal("HTTP 400: Validation failed: a; b; c; d; e", ex.Message);
        Assert.Equal(8, ex.Details!.Value.GetArrayLength());
    }

    [Fact]
    public void Details_set_to_null_counts_as_absent()
    {
        var ex = Create(HttpStatusCode.BadRequest, """{"error":"bad","details":null}""");

        Assert.Null(ex.Details);
    }

    [Fact]
    public void The_kept_details_outlive_the_parsed_body()
    {
        var ex = Create(HttpStatusCode.BadRequest, """{"error":"bad","details":{"field":"email"}}""");
        GC.Collect();

        Assert.Equal(JsonValueKind.Object, ex.Details!.Value.ValueKind);
        Assert.Equal("email", ex.Details.Value.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData(400, typeof(MudbaseValidationException))]
    [InlineData(422, typeof(MudbaseValidationException))]
    [InlineData(401, typeof(MudbaseAuthenticationException))]
    [InlineData(403, typeof(MudbaseForbiddenException))]
    [InlineData(404, typeof(MudbaseNotFoundException))]
    [InlineData(409, typeof(MudbaseConflictException))]
    [InlineData(429, typeof(MudbaseRateLimitException))]
    [InlineData(500, typeof(MudbaseServerException))]
    [InlineData(599, typeof(MudbaseServerException))]
    [InlineData(405, typeof(MudbaseException))]
    [InlineData(410, typeof(MudbaseException))]
    [InlineData(413, typeof(Mudbase.Storage.MudbaseFileTooLargeException))]
    [InlineData(600, typeof(MudbaseException))]
    public void The_status_alone_picks_the_exception_type(int status, Type expected)
    {
        var ex = Create((HttpStatusCode)status, "");

        Assert.Equal(expected, ex.GetType());
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
    }
}
