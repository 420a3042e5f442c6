namespace Mudbase.Http;

/// <summary>Reads at most a bounded number of bytes of a body, so that a huge or stalled error body cannot hold a call.</summary>
internal static class ResponseBodyReader
{
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
                        return (buffer[..maxBytes], true);
                    }

                    Array.Resize(ref buffer, Math.Min(maxBytes + 1, buffer.Length * 2));
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (length == buffer.Length ? buffer : buffer[..length], false);
                }

                length += read;
                if (length > maxBytes)
                {
                    return (buffer[..maxBytes], true);
                }
            }
        }
    }
}
