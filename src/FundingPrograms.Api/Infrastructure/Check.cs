namespace FundingPrograms.Infrastructure;

/// <summary>Collects field-level errors; throws one 400 with all of them.</summary>
public sealed class Check
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public Check Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Check That(bool ok, string field, string message) => ok ? this : Add(field, message);

    public Check Required(string? value, string field, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) return Add(field, "This field is required.");
        return That(value.Length <= maxLength, field, $"At most {maxLength} characters are allowed.");
    }

    /// <summary>The largest amount the service accepts (keeps every sum far from decimal overflow).</summary>
    public const decimal MaxMoney = 999_999_999.99m; // the largest amount a SEPA transfer can carry

    public Check Money(decimal? value, string field, bool required = true, bool allowZero = true)
    {
        if (value is null) return required ? Add(field, "This field is required.") : this;
        if (value < 0 || (!allowZero && value == 0)) return Add(field, allowZero ? "The amount must not be negative." : "The amount must be greater than zero.");
        if (value > MaxMoney) return Add(field, $"At most {MaxMoney:#,0} EUR.");
        return That(decimal.Round(value.Value, 2) == value.Value, field, "Amounts are in euros with at most 2 decimals.");
    }

    public static readonly DateOnly MinDate = new(2000, 1, 1);
    public static readonly DateOnly MaxDate = new(2100, 12, 31);

    /// <summary>A date of the domain: between 2000 and 2100.</summary>
    public Check Date(DateOnly? value, string field, bool required = false)
    {
        if (value is null) return required ? Add(field, "This field is required.") : this;
        return That(value >= MinDate && value <= MaxDate, field, "The date must be between 2000 and 2100.");
    }

    /// <summary>A query string value that was sent but could not be read (Wolverine leaves it null) is an error, not "no filter".</summary>
    public Check Bound<T>(HttpContext http, string name, T? value) where T : struct
    {
        if (!http.Request.Query.ContainsKey(name)) return this;
        if (value is null) return Add(name, $"'{http.Request.Query[name]}' is not a valid value.");
        if (typeof(T).IsEnum && (!Enum.IsDefined(typeof(T), value.Value) || int.TryParse(http.Request.Query[name].ToString(), out _)))
            return Add(name, $"Use one of: {string.Join(", ", Enum.GetNames(typeof(T)).Select(n => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(n)))}.");
        return this;
    }

    public Check Percent(decimal? value, string field, bool required = true)
    {
        if (value is null) return required ? Add(field, "This field is required.") : this;
        return That(value is >= 0 and <= 100, field, "A percentage must be between 0 and 100.");
    }

    public bool HasErrors => _errors.Count > 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void ThrowIfAny()
    {
        if (HasErrors) throw ProblemException.Validation(Errors);
    }

    public void ThrowAsRuleIfAny(string detail)
    {
        if (HasErrors) throw ProblemException.Rule(detail, Errors);
    }
}
