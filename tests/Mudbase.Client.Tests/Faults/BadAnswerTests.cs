using System.Net;
using System.Text;
using Mudbase.Tests.Support;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Mudbase.Tests.Faults;

/// <summary>Garbage from the server: each becomes a MudbaseException with the status, and the body kept is bounded.</summary>
[Trait("Category", "Faults")]
public sealed class BadAnswerTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    public static TheoryData<string, int> Garbage() => new()
    {
        { "binary", 200 }, { "binary", 500 },
        { "10 MB of text", 200 }, { "10 MB of text", 400 },
        { "10 MB of JSON", 200 }, { "10 MB of JSON", 503 },
        { "JSON nested 100000 deep", 200 }, { "JSON nested 100000 deep", 422 },
        { "wrong types", 200 }, { "a JSON array", 200 }, { "a JSON string", 404 },
        { "invalid UTF-8", 200 }, { "invalid UTF-8", 409 },
    };

    private static byte[] Body(string kind) => kind switch
    {
        "binary" => [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 256))],
        "10 MB of text" => Encoding.UTF8.GetBytes(new string('x', 10 * 1024 * 1024)),
        "10 MB of JSON" => Encoding.UTF8.GetBytes("{\"error\":\"" + new string('e', 10 * 1024 * 1024) + "\"}"),
        "JSON nested 100000 deep" => Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000)),
        "wrong types" => Encoding.UTF8.GetBytes("""{"message":42,"token":{"a":1},"refreshToken":[1],"expiresIn":"soon","user":"nobody"}"""),
        "a JSON array" => Encoding.UTF8.GetBytes("[1,2,3]"),
        "a JSON string" => Encoding.UTF8.GetBytes("\"not found\""),
        "invalid UTF-8" => [0x7B, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_becomes_a_MudbaseException_with_the_status_and_a_bounded_body(string kind, int status)
    {
        _server.Answer(Wire.AnonymousPath, Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(Body(kind)));
        using var client = _server.Client(o => o.Retry.MaxRetries = 0);

        var ex = await Assert.ThrowsAnyAsync<MudbaseException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.True((ex.ResponseBody?.Length ?? 0) <= 4096, $"ResponseBody kept {ex.ResponseBody?.Length} characters");
        Assert.True(ex.Message.Length < 1024, $"the message is {ex.Message.Length} characters long");
        Errors.AssertNoRefitTypes(ex);
    }
}
