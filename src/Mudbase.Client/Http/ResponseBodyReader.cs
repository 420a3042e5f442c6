namespace Mudbase.Http;

/// <summary>Reads bodies within bounds, so that a huge or stalled error body cannot hold a call.</summary>
internal static class ResponseBodyReader
{
    /// <summary>
    /// Reads a body the retry handler has already buffered. Through the buffer, not the content's one cached read
    /// stream, so it can be read again (by the retry decision, the error mapping, the parse-failure report).
    /// </summary>
    public static async Task<(byte[] Body, bool Truncated)> ReadBufferedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return body.Length > maxBytes ? (body.AsSpan(0, maxBytes).ToArray(), true) : (body, false);
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> of a body from the network.</summary>
    public static async Task<(byte[] Body, bool Truncated)> ReadAsync(HttpContent? content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return (Array.Empty<byte>(), false);
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var declared = content.Headers.ContentLength;
            var buffer = new byte[declared is { } n && n < maxBytes ? (int)n + 1 : Math.Min(maxBytes + 1, 16 * 1024)];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return (buffer.AsSpan(0, maxBytes).ToArray(), true);
                    }

                    Array.Resize(ref buffer, Math.Min(maxBytes + 1, buffer.Length * 2));
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray(), false);
                }

                length += read;
                if (length > maxBytes)
                {
                    return (buffer.AsSpan(0, maxBytes).ToArray(), true);
                }
            }
        }
    }
}
