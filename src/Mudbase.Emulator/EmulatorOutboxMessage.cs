namespace Mudbase.Emulator;

/// <summary>
/// An email or SMS the hosted service would have sent. The emulator sends nothing: it keeps the
/// message, for <see cref="MudbaseEmulator.GetOutbox"/> and <c>GET /emulator/outbox?to=…</c>.
/// </summary>
/// <param name="To">The recipient: an email address (lower case) or a phone number (E.164, such as <c>+15551234567</c>).</param>
/// <param name="Kind">What the message is for: one of <see cref="EmulatorOutboxKinds"/>.</param>
/// <param name="Token">The secret a link would carry (verification, legacy password reset, magic link), if any.</param>
/// <param name="Code">The 6-digit code the message would show (password reset, OTP sign-in), if any.</param>
/// <param name="Link">The link the message would carry, when the emulator can name one (a magic link with a redirect URL).</param>
/// <param name="CreatedAt">When the message was "sent", by the emulator's clock.</param>
public sealed record EmulatorOutboxMessage(string To, string Kind, string? Token, string? Code, Uri? Link, DateTimeOffset CreatedAt);
