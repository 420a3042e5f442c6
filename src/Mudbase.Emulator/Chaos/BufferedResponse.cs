using Microsoft.AspNetCore.Http.Features;

namespace Mudbase.Emulator.Chaos;

/// <summary>
/// Runs the rest of the pipeline with the response body kept in memory instead of sent, so that a
/// fault after processing decides what, if anything, of the real answer goes out. The status and
/// headers stay on the response, unsent, for the fault to keep or replace.
/// </summary>
internal static class BufferedResponse
{
    /// <returns>The body the endpoint (or the error handling) wrote.</returns>
    public static async Task<byte[]> CaptureAsync(HttpContext context, RequestDelegate next)
    {
        var wire = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        var capture = new StreamResponseBodyFeature(buffer, wire);
        context.Features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await next(context).ConfigureAwait(false);
            // JSON results write through Response.BodyWriter, which holds bytes until completed.
            await capture.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(wire);
        }

        return buffer.ToArray();
    }

    /// <summary>Sends a whole body with its <c>Content-Length</c>, after the status and headers already on the response.</summary>
    public static async Task SendAsync(HttpResponse response, ReadOnlyMemory<byte> body)
    {
        response.ContentLength = body.Length;
        if (body.Length > 0)
        {
            await response.Body.WriteAsync(body, response.HttpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
