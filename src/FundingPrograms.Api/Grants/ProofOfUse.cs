namespace FundingPrograms.Grants;

/// <summary>Deadlines of the proof of use (Verwendungsnachweis, ANBest-P Nr. 6.1).</summary>
public static class ProofOfUse
{
    /// <summary>
    /// The latest date the proof of use is due: the end of the <paramref name="months"/>-th month following the end of the
    /// funding period (ANBest-P Nr. 6.1; period ends 30 Jun 2027, 6 months → 31 Dec 2027). Always an end of month.
    /// </summary>
    public static DateOnly DueDate(DateOnly periodEnd, int months) =>
        new DateOnly(periodEnd.Year, periodEnd.Month, 1).AddMonths(months + 1).AddDays(-1);
}
