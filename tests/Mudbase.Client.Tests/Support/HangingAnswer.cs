using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Mudbase.Tests.Support;

/// <summary>
/// A WireMock answer that counts each request as it arrives, then holds the answer back until disposed
/// (WireMock logs a request only once it has answered, so a delayed request is counted here instead).
/// </summary>
internal sealed class HangingAnswer : IDisposable
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _arrivals = new(0);
    private int _arrived;

    public HangingAnswer(WireMockServer server, string path)
    {
        server.Given(Request.Create().WithPath(path)).RespondWith(Response.Create().WithCallback(AnswerAsync));
    }

    public int Arrived => Volatile.Read(ref _arrived);

    public Task FirstArrived => _firstArrived.Task;

    private async Task<IResponseMessage> AnswerAsync(IRequestMessage request)
    {
        Interlocked.Increment(ref _arrived);
        _arrivals.Release();
        _firstArrived.TrySetResult();
        await Task.WhenAny(_release.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        return Wire.Message(200, Bodies.AnonymousSession());
    }

    /// <summary>
    /// Waits (at most 10 s) until <paramref name="count"/> requests have arrived, then returns how many arrived:
    /// a request the client has already sent may reach the server a moment after the client gave up on it.
    /// </summary>
    public async Task<int> ArrivedAfterWaitingForAsync(int count)
    {
        for (var seen = 0; seen < count; seen++)
        {
            if (!await _arrivals.WaitAsync(TimeSpan.FromSeconds(10)))
            {
                break;
            }
        }

        return Arrived;
    }

    /// <summary>Lets every held request answer, so the server stops at once.</summary>
    public void Dispose() => _release.TrySetResult();
}
