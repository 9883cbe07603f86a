using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Provisioning.Daemon.Common.Options;

/// <summary>
/// A TimeSpan setting's bounds. RangeAttribute(typeof(TimeSpan), ...) converts through a TypeConverter,
/// which trimming and Native AOT cannot keep; this one parses its bounds once, invariantly.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TimeSpanRangeAttribute : ValidationAttribute
{
    private readonly TimeSpan _minimum;
    private readonly TimeSpan _maximum;

    public TimeSpanRangeAttribute(string minimum, string maximum)
        : base("The field {0} must be between {1} and {2}.")
    {
        Minimum = minimum;
        Maximum = maximum;
        _minimum = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);
        _maximum = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);
    }

    public string Minimum { get; }

    public string Maximum { get; }

    public override bool IsValid(object? value) => value is not TimeSpan span || (span >= _minimum && span <= _maximum);

    public override string FormatErrorMessage(string name) =>
        string.Format(CultureInfo.InvariantCulture, ErrorMessageString, name, Minimum, Maximum);
}
