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
}
