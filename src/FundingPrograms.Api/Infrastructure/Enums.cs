namespace FundingPrograms.Infrastructure;

public static class Enums
{
    /// <summary>Parses an enum by its name only (any case): no numbers, no comma-combined flags.</summary>
    public static bool TryParseName<T>(string? value, out T result) where T : struct, Enum
    {
        var name = value is null ? null : Enum.GetNames<T>().FirstOrDefault(n => n.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase));
        result = name is null ? default : Enum.Parse<T>(name);
        return name is not null;
    }
}
