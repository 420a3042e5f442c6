using System.Text.Json.Serialization;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>
/// The hosted service's error body: always <c>error</c>, and the other fields only where the live
/// server sends them, so absent fields are left out rather than written as null.
/// </summary>
internal sealed record ErrorBody(string Error)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; init; }

    /// <summary>A sentence for the user, beside the short <see cref="Error"/> (403 EMAIL_VERIFICATION_REQUIRED has both).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Details { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? RetryAfter { get; init; }
}

/// <summary>Error answers for endpoint handlers.</summary>
internal static class ErrorResults
{
    public static IResult Status(int statusCode, ErrorBody body) =>
        TypedResults.Json(body, EmulatorJsonContext.Wire.ErrorBody, statusCode: statusCode);

    public static IResult BadRequest(string error) => Status(StatusCodes.Status400BadRequest, new ErrorBody(error));

    public static IResult NotFound(string error) => Status(StatusCodes.Status404NotFound, new ErrorBody(error));

    public static IResult InvalidJson() => BadRequest("Invalid JSON");

    /// <summary>The body validation answers with: <c>{"error":"Validation failed","details":[…]}</c>.</summary>
    public static IResult ValidationFailed(IReadOnlyList<string> details) =>
        Status(StatusCodes.Status400BadRequest, new ErrorBody("Validation failed") { Details = details });

    /// <summary>The duplicate-email answer of registration and guest conversion.</summary>
    public static IResult UserExists() => Status(StatusCodes.Status409Conflict, new ErrorBody("User already exists") { Code = "CONFLICT" });

    public static IResult Unauthorized(string error) => Status(StatusCodes.Status401Unauthorized, new ErrorBody(error));
}
