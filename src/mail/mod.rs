//! Email: messages are written to the outbox in the transaction that causes them and
//! sent by a background worker, so an SMTP outage delays mail but never loses it.

pub mod letterhead;
pub mod messages;
pub mod sender;

use std::sync::Arc;

use sqlx::AnyConnection;
use tokio::sync::Notify;

use crate::domain::Email;
use crate::store::{self, Store, Tx};

/// A message ready for the outbox.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub to: Email,
    pub subject: String,
    pub text: String,
}

/// Adds the message within the caller's transaction, for a process that runs no sender
/// (an operator's command): the servers' senders find it on their next round.
pub async fn enqueue(tx: &mut AnyConnection, mail: &OutgoingMail) -> Result<(), sqlx::Error> {
    store::outbox::enqueue(tx, mail.to.as_str(), &mail.subject, &mail.text, store::now()).await
}

/// Puts mail in the outbox and tells the sender there is work.
#[derive(Clone, Default)]
pub struct Outbox {
    wake: Arc<Notify>,
}

impl Outbox {
    /// Adds the message within the caller's transaction; finish with [`Outbox::commit`].
    pub async fn enqueue(&self, tx: &mut AnyConnection, mail: &OutgoingMail) -> Result<(), sqlx::Error> {
        enqueue(tx, mail).await
    }

    /// Queues one message on its own (for mail that no other write goes with).
    pub async fn send(&self, store: &Store, mail: &OutgoingMail) -> Result<(), sqlx::Error> {
        let mut tx = store.begin().await?;
        self.enqueue(&mut tx, mail).await?;
        self.commit(tx).await
    }

    /// Commits the transaction that queued mail, then wakes the sender for it.
    pub async fn commit(&self, tx: Tx) -> Result<(), sqlx::Error> {
        tx.commit().await?;
        self.wake();
        Ok(())
    }

    fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn notified(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }
}
