using System.Buffers;

namespace Mudbase.Http;

/// <summary>Parses a JSON answer held in memory, with state (for example the caller's <c>JsonTypeInfo</c>) and without a closure.</summary>
internal delegate TResult Utf8Parser<in TState, out TResult>(ReadOnlySpan<byte> json, TState state);

/// <summary>
/// The answers Refit cannot parse itself because their type is the user's (documents described by the user's own
/// <c>JsonTypeInfo</c>): the Refit method returns the <see cref="HttpResponseMessage"/>, and this maps it exactly as Refit's
/// exception factories would (the same <see cref="RefitErrorMapper"/>), then parses the body the retry handler has
/// already buffered, from a pooled copy, with a synchronous reader: no DOM and no async state per document.
/// </summary>
internal static class JsonAnswer
{
    /// <summary>The parsed body of a successful answer; a failure is its <see cref="MudbaseException"/>.</summary>
    public static async Task<TResult> ReadAsync<TState, TResult>(
        Task<HttpResponseMessage> call, RefitErrorMapper errors, TState state, Utf8Parser<TState, TResult> parse, CancellationToken cancellationToken)
    {
        var response = await call.ConfigureAwait(false);
        return await ParseAsync(response, errors, state, parse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The parsed body of an answer already in hand; a failure is its <see cref="MudbaseException"/>. A success's body is
    /// in memory, so this completes at once, and as a <see cref="ValueTask{TResult}"/> it then allocates nothing of its own.
    /// </summary>
    public static async ValueTask<TResult> ParseAsync<TState, TResult>(
        HttpResponseMessage response, RefitErrorMapper errors, TState state, Utf8Parser<TState, TResult> parse, CancellationToken cancellationToken)
    {
        if (await errors.FromResponseAsync(response).ConfigureAwait(false) is { } error)
        {
            throw error; // the mapper has disposed the response
        }

        using (response)
        {
            var (buffer, length) = await RentBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);
            try
            {
                return parse(buffer.AsSpan(0, length), state);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // HTML, a cut body, a wrong shape or type: the caller gets the status, request id and body, never a JsonException.
                throw await errors.FromUnreadableBodyAsync(response, ex).ConfigureAwait(false) ?? ex;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>A successful answer whose body does not matter (a delete's <c>{message}</c>, or none at all).</summary>
    public static async Task ExpectSuccessAsync(Task<HttpResponseMessage> call, RefitErrorMapper errors)
    {
        var response = await call.ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessStatusCode && await errors.FromResponseAsync(response).ConfigureAwait(false) is { } error)
            {
                throw error;
            }
        }
    }

    private static async ValueTask<(byte[] Buffer, int Length)> RentBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        // Buffered by the retry handler, so the length is known; a stream without one grows the buffer as it goes.
        var buffer = ArrayPool<byte>.Shared.Rent(stream.CanSeek ? (int)Math.Max(1, stream.Length - stream.Position) : 16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
