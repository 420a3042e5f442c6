using System.Text.Json;

namespace Mudbase.Emulator.Data;

/// <summary>Turns <see cref="EmulatorCollectionOptions"/> into the wire's body, so that it passes the checks an HTTP create passes.</summary>
internal static class CollectionOptionsReader
{
    /// <exception cref="ArgumentException">The options break a rule of the schema; the message lists every failure.</exception>
    public static CollectionDraft Read(EmulatorCollectionOptions options)
    {
        if (options.Fields.Any(field => field is null) || options.Permissions.Any(permission => permission is null))
        {
            throw new ArgumentException("Fields and Permissions must not contain null.", nameof(options));
        }

        var body = JsonAnswer.ToElement(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", options.Name);
            if (options.Slug is not null)
            {
                writer.WriteString("slug", options.Slug);
            }

            writer.WriteStartArray("fields");
            foreach (var field in options.Fields)
            {
                writer.WriteStartObject();
                writer.WriteString("name", field.Name);
                writer.WriteString("type", field.Type);
                writer.WriteBoolean("required", field.Required);
                writer.WriteBoolean("unique", field.Unique);
                if (field.Default is not null)
                {
                    writer.WritePropertyName("default");
                    field.Default.WriteTo(writer);
                }

                if (field.Validation is not null)
                {
                    writer.WritePropertyName("validation");
                    field.Validation.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("permissions");
            foreach (var permission in options.Permissions)
            {
                writer.WriteStartObject();
                writer.WriteString("role", permission.Role);
                writer.WriteStartArray("actions");
                foreach (var action in permission.Actions)
                {
                    writer.WriteStringValue(action);
                }

                writer.WriteEndArray();
                if (permission.Condition is not null)
                {
                    writer.WritePropertyName("condition");
                    permission.Condition.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

        var errors = new List<string>();
        return CollectionRequest.Read(body, isCreate: true, errors)
            ?? throw new ArgumentException("The collection is not valid: " + string.Join("; ", errors), nameof(options));
    }
}
