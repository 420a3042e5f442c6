using Mudbase.Realtime;
using Mudbase.Realtime.Protocol;

namespace Mudbase.Tests.Unit.Realtime;

/// <summary>
/// The realtime path reuses memory between events (packets share pooled slabs, a collection buffer reuses its nodes):
/// what a reader sees must be exactly what the server sent, in order, however the reuse goes.
/// </summary>
public sealed class SocketIoEventReuseTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly InMemorySocketIoServer _server = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Events_returned_as_they_are_read_leave_every_packet_not_yet_read_intact()
    {
        var (connection, _) = await _server.ConnectAsync();
        const int count = 1500;

        // Sizes from a few bytes to more than a slab, so that packets share slabs, end them, and need larger ones.
        static string Room(int i) => new((char)('a' + (i % 26)), i % 97 == 0 ? 40_000 : 1 + (i * 37 % 3000));
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await _server.SendAsync($$"""42["e",{"room":"{{Room(i)}}","n":{{i}}}]""");
            }
        }, Ct);

        for (var i = 0; i < count; i++)
        {
            var received = await connection.Events.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
            Assert.Equal(new RealtimeTestPayload(Room(i), i), received.GetArgument(0, RealtimeTestJson.Default.RealtimeTestPayload));
            received.Return();
        }

        await sending;
        Assert.False(connection.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_collection_buffer_that_reuses_its_nodes_still_coalesces_by_document_and_keeps_the_order()
    {
        var buffer = new CollectionEventBuffer<string>(new WatchOptions { BufferCapacity = 3 });

        buffer.Add(Updated("a", "a1"), "a");
        buffer.Add(Updated("b", "b1"), "b");
        Assert.Equal(["a1"], await TakeAsync(buffer, 1)); // its node is free again
        buffer.Add(Updated("c", "c1"), "c");
        buffer.Add(Updated("a", "a2"), "a"); // full: b1 c1 a2
        buffer.Add(Updated("b", "b2"), "b"); // replaces b1, moved to the end
        buffer.Add(Updated("a", "a3"), "a"); // replaces a2
        Assert.Equal(["overflowed 2", "c1", "b2", "a3"], await TakeAsync(buffer, 4));

        // Every node has been used twice now; the same again.
        buffer.Add(Updated("x", "x1"), "x");
        buffer.Add(Updated("a", "a4"), "a");
        buffer.Add(Updated("x", "x2"), "x"); // not full: both events of x stay
        buffer.Add(new CollectionEvent<string>.Deleted("a"), "a"); // full: replaces a4
        Assert.Equal(["overflowed 1", "x1", "x2", "deleted a"], await TakeAsync(buffer, 4));
    }

    private static CollectionEvent<string>.Updated Updated(string id, string document) => new(id, document);

    private static async Task<List<string>> TakeAsync(CollectionEventBuffer<string> buffer, int count)
    {
        var taken = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (has, item) = await buffer.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
            Assert.True(has);
            taken.Add(item switch
            {
                CollectionEvent<string>.Updated updated => updated.Document,
                CollectionEvent<string>.Deleted deleted => "deleted " + deleted.DocumentId,
                CollectionEvent<string>.Overflowed overflowed => "overflowed " + overflowed.Coalesced,
                _ => item.ToString()!,
            });
        }

        return taken;
    }
}
