using System.Net.Mail;
using FundingPrograms.Organisations;
using Marten.Pagination;

namespace FundingPrograms.Notifications;

/// <summary>
/// A message for an applicant organisation (decision, amendment, …). Sent through Wolverine's durable outbox in the
/// same transaction as the events it reports, so it is never lost and never sent for a change that did not happen.
/// </summary>
public sealed record ApplicantNotification(Guid NotificationId, Guid OrganisationId, string Subject, string Body, string Link, DateTimeOffset At,
    Guid? LetterId = null);

/// <summary>What the applicant reads in the service (the development sink; tests read it too).</summary>
public sealed class DeliveredNotification
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public string Link { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string[] EmailedTo { get; set; } = [];
    public string? EmailError { get; set; }
    /// <summary>The letter this notification announces (its PDF is attached to the e-mail).</summary>
    public Guid? LetterId { get; set; }
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public bool EnableSsl { get; set; } = true;
    public string From { get; set; } = "foerderung@fundingprograms.nrw";
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

public static class ApplicantNotificationHandler
{
    /// <summary>Stores the notification for the applicant and, when SMTP is configured (Notifications:Smtp:Host), emails the contact persons.</summary>
    public static async Task Handle(ApplicantNotification message, IDocumentSession session, IConfiguration config, ILogger<DeliveredNotification> logger, CancellationToken ct)
    {
        if (await session.LoadAsync<DeliveredNotification>(message.NotificationId, ct) is not null) return; // delivered already
        var smtp = config.GetSection("Notifications:Smtp").Get<SmtpOptions>();
        var emailed = Array.Empty<string>();
        string? emailError = null;
        if (!string.IsNullOrWhiteSpace(smtp?.Host))
        {
            var organisation = await session.LoadAsync<Organisation>(message.OrganisationId, ct);
            var people = organisation is null ? [] : await PersonalDataVault.RevealAll(session, organisation.ContactPersons, ct);
            emailed = people.Where(p => !ReferenceEquals(p, PersonalDataVault.Erased)).Select(p => p.Email).Where(e => e.Length > 0).ToArray();
            if (emailed.Length > 0)
                try
                {
                    using var client = new SmtpClient(smtp.Host, smtp.Port) { EnableSsl = smtp.EnableSsl };
                    if (smtp.UserName is not null) client.Credentials = new System.Net.NetworkCredential(smtp.UserName, smtp.Password);
                    using var mail = new MailMessage { From = new MailAddress(smtp.From), Subject = message.Subject.ReplaceLineEndings(" "), Body = $"{message.Body}\n\n{message.Link}" };
                    foreach (var to in emailed) mail.To.Add(to);
                    if (message.LetterId is { } letterId && await Letters.LetterAttachment.Pdf(session, letterId, ct) is { } pdf)
                        mail.Attachments.Add(new Attachment(new MemoryStream(pdf.Content), pdf.FileName, "application/pdf"));
                    await client.SendMailAsync(mail, ct);
                    logger.LogInformation("Notification {Id} emailed to {Count} contact person(s)", message.NotificationId, emailed.Length);
                }
                catch (Exception e) when (e is SmtpException or InvalidOperationException or FormatException)
                {
                    // The applicant still reads it in the service; the failed delivery is recorded and logged for operations.
                    logger.LogError(e, "Notification {Id} could not be emailed", message.NotificationId);
                    emailError = e.Message;
                    emailed = [];
                }
        }
        session.Store(new DeliveredNotification
        {
            Id = message.NotificationId, OrganisationId = message.OrganisationId, Subject = message.Subject, Body = message.Body,
            Link = message.Link, At = message.At, EmailedTo = emailed, EmailError = emailError, LetterId = message.LetterId,
        });
    }
}

public static class MyNotificationsEndpoint
{
    [WolverineGet("/me/notifications", OperationId = "MyNotifications"), Authorize(Roles = Roles.Applicant)]
    [Tags("Notifications"), EndpointSummary("Notifications for the signed-in applicant's organisation, newest first")]
    public static async Task<Page<DeliveredNotification>> Get(int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var (number, size) = Page<DeliveredNotification>.Normalize(http, page, pageSize);
        var own = await Access.ApplicantOrganisation(Actor.From(http.User), session, ct) ?? Guid.Empty;
        var found = await session.Query<DeliveredNotification>().Where(n => n.OrganisationId == own).OrderByDescending(n => n.At)
            .ToPagedListAsync(number, size, ct);
        return new Page<DeliveredNotification>(found.ToList(), number, size, found.TotalItemCount);
    }
}
