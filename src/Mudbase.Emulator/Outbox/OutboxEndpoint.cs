using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Outbox;

/// <summary>The body of <c>GET /emulator/outbox</c>.</summary>
internal sealed record OutboxResponse(IReadOnlyList<EmulatorOutboxMessage> Messages);

/// <summary>
/// <c>GET /emulator/outbox?to=</c>: the emails and SMS the emulator did not send, to one
/// recipient (email in any case, or E.164 phone number, <c>+</c> escaped as <c>%2B</c>), oldest first; every message when
/// <c>to</c> is left out. Outside <c>/api</c>, so no rate limit counts it.
/// </summary>
internal sealed class OutboxEndpoint(EmulatorStore store)
{
    public const string Path = "/emulator/outbox";

    public IResult Handle(HttpRequest request)
    {
        var to = request.Query["to"].ToString();
        return TypedResults.Json(new OutboxResponse(store.GetOutbox(to.Length == 0 ? null : to)), EmulatorJsonContext.Wire.OutboxResponse);
    }
}
