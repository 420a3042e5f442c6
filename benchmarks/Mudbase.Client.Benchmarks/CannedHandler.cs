using System.Net;

namespace Mudbase.Benchmarks;

/// <summary>
/// The transport of benchmark 1: answers like a server, in memory. It reads the request body to the end (as a
/// socket handler would send it), then returns a fresh response with fresh content each call.
/// </summary>
public sealed class CannedHandler : HttpMessageHandler
{
    /// <summary>When set, each request is recorded here (for `-- verify`); null while measuring.</summary>
    public List<RecordedRequest>? Recorded { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[]? sent = null;
        if (request.Content is { } content)
        {
            if (Recorded is null)
            {
                await content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                sent = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        Recorded?.Add(new RecordedRequest(request.Method.Method, request.RequestUri!.PathAndQuery, FormatHeaders(request), sent));

        var path = request.RequestUri!.AbsolutePath;
        var (status, body) = path switch
        {
            "/api/auth/anonymous" => (HttpStatusCode.OK, Payloads.AnonymousAnswer),
            "/api/auth/local/register" => (HttpStatusCode.Created, Payloads.RegisterAnswer),
            "/api/auth/local/session" => (HttpStatusCode.OK, Payloads.SessionAnswer),
            _ => (HttpStatusCode.NotFound, "{\"error\":\"Not found\"}"u8.ToArray()),
        };

        var response = new HttpResponseMessage(status) { RequestMessage = request, Content = new ByteArrayContent(body) };
        // Raw, as a socket handler stores what it read: parsed only if someone asks.
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        return response;
    }

    private static string FormatHeaders(HttpRequestMessage request)
    {
        var lines = request.Headers.Select(h => $"{h.Key}: {string.Join(", ", h.Value)}");
        if (request.Content is { } content)
        {
            lines = lines.Concat(content.Headers.Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
        }

        return string.Join("\n", lines.Order(StringComparer.OrdinalIgnoreCase));
    }
}

public sealed record RecordedRequest(string Method, string PathAndQuery, string Headers, byte[]? Body);
