using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Chaos;

/// <summary>
/// The answers chaos sends in place of the server's: the hosted service's own bodies for failure,
/// overload and throttling, a proxy's HTML error pages, and JSON of a shape no route has.
/// </summary>
internal static class ChaosAnswers
{
    // The 429s report a spent bucket of the hosted sign-in limit (5 per 15 minutes), as its own 429s do.
    private const string RateLimitPolicy = "5;w=900";
    private const string RateLimitLimit = "5";

    private static readonly byte[] UnexpectedShape = """{"ok":true,"data":[1,2,3]}"""u8.ToArray();

    public static Task ServerErrorAsync(HttpResponse response) =>
        ErrorAsync(response, StatusCodes.Status500InternalServerError, new ErrorBody("Internal server error") { Code = "INTERNAL_ERROR" });

    public static Task ServiceUnavailableAsync(HttpResponse response)
    {
        response.Headers["retry-after"] = "1";
        return ErrorAsync(
            response,
            StatusCodes.Status503ServiceUnavailable,
            new ErrorBody("Service temporarily unavailable. Please try again later.") { Code = "SERVICE_UNAVAILABLE" });
    }

    public static Task RateLimitedAsync(HttpResponse response, long retryAfterSeconds)
    {
        var seconds = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var headers = response.Headers;
        headers["ratelimit-policy"] = RateLimitPolicy;
        headers["ratelimit-limit"] = RateLimitLimit;
        headers["ratelimit-remaining"] = "0";
        headers["ratelimit-reset"] = seconds;
        headers["retry-after"] = seconds;
        return ErrorAsync(
            response, StatusCodes.Status429TooManyRequests, new ErrorBody("Too many requests, please try again later.") { RetryAfter = retryAfterSeconds });
    }

    /// <summary>
    /// The error page of a reverse proxy (nginx's, the common one), <c>text/html</c>. Whatever the
    /// server had put on the response goes: a proxy's page carries none of it.
    /// </summary>
    public static Task ProxyPageAsync(HttpResponse response, int statusCode)
    {
        response.Clear();
        response.StatusCode = statusCode;
        response.ContentType = "text/html";
        var title = FormattableString.Invariant($"{statusCode} {ReasonPhrases.GetReasonPhrase(statusCode)}");
        var page = $"""
            <html>
            <head><title>{title}</title></head>
            <body>
            <center><h1>{title}</h1></center>
            <hr><center>nginx</center>
            </body>
            </html>

            """;
        return BufferedResponse.SendAsync(response, Encoding.UTF8.GetBytes(page));
    }

    /// <summary>200 with JSON no route writes; the other headers of the real answer stay, as a server bug would leave them.</summary>
    public static Task UnexpectedShapeAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        return BufferedResponse.SendAsync(response, UnexpectedShape);
    }

    private static Task ErrorAsync(HttpResponse response, int statusCode, ErrorBody body)
    {
        response.StatusCode = statusCode;
        return response.WriteAsJsonAsync(body, EmulatorJsonContext.Wire.ErrorBody);
    }
}
