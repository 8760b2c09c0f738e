//! Email: rendered in the workflow, queued on SQS, sent by the mailer through SES v2.

pub mod message;
pub mod queue;
pub mod sender;
pub mod templates;

pub use message::MailMessage;
pub use queue::MailQueue;
pub use sender::MailSender;
