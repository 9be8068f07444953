//! argon2id on a few dedicated threads.
//!
//! Each hash needs 19 MiB and ~15 ms of one core. Running them on the async threads would
//! stall every other request, and running them unbounded (one allocation each) let a
//! login flood grow a process to gigabytes. So there is one worker per core, each reusing
//! one memory block, fed through a bounded queue: a flood waits its turn.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use anyhow::{Context, anyhow};
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use tokio::sync::{mpsc, oneshot};

/// OWASP's argon2id recommendation: 19 MiB, two passes, one lane.
pub fn production_params() -> Params {
    Params::new(19 * 1024, 2, 1, Some(32)).expect("valid argon2 parameters")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Mismatch,
    Match,
    /// The password is right but was hashed with other parameters: store a new hash.
    MatchNeedsRehash,
}

impl Verification {
    pub fn is_match(self) -> bool {
        self != Self::Mismatch
    }
}

enum Work {
    Hash { password: SecretString, reply: oneshot::Sender<anyhow::Result<String>> },
    Verify { password: SecretString, phc: String, reply: oneshot::Sender<anyhow::Result<Verification>> },
}

impl Work {
    fn abandoned(&self) -> bool {
        match self {
            Self::Hash { reply, .. } => reply.is_closed(),
            Self::Verify { reply, .. } => reply.is_closed(),
        }
    }
}

/// A piece of work and when it was queued, to measure how long hashing waits for a core.
struct Job {
    work: Work,
    queued: std::time::Instant,
}

#[derive(Clone)]
pub struct PasswordHasher {
    jobs: mpsc::Sender<Job>,
    dummy_hash: Arc<String>,
    verifications: Arc<AtomicU64>,
    abandoned: Arc<AtomicU64>,
}

impl PasswordHasher {
    /// Starts one hashing thread per available core.
    pub fn start(params: Params) -> anyhow::Result<Self> {
        let workers = thread::available_parallelism().map_or(1, |n| n.get());
        let (jobs, receiver) = mpsc::channel(workers * 64);
        let receiver = Arc::new(Mutex::new(receiver));
        let abandoned = Arc::new(AtomicU64::new(0));
        for index in 0..workers {
            let receiver = Arc::clone(&receiver);
            let abandoned = Arc::clone(&abandoned);
            let params = params.clone();
            thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || work(&receiver, params, &abandoned))
                .context("cannot start a password hashing thread")?;
        }
        // Unknown emails are checked against this, so they cost the same time as known ones.
        let dummy_hash = hash(&params, b"gatehouse timing equaliser", &mut Vec::new())?;
        Ok(Self { jobs, dummy_hash: Arc::new(dummy_hash), verifications: Arc::default(), abandoned })
    }

    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let (reply, answer) = oneshot::channel();
        self.submit(Work::Hash { password: SecretString::from(password), reply }).await?;
        answer.await.context("password hashing thread stopped")?
    }

    /// Verifies `password` against `phc`, or against a dummy hash when there is no user,
    /// so that both cases take the same time.
    pub async fn verify(&self, password: &SecretString, phc: Option<&str>) -> anyhow::Result<Verification> {
        let known = phc.is_some();
        let phc = phc.unwrap_or(&self.dummy_hash).to_owned();
        let (reply, answer) = oneshot::channel();
        self.submit(Work::Verify { password: password.clone(), phc, reply }).await?;
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let verification = answer.await.context("password hashing thread stopped")??;
        Ok(if known { verification } else { Verification::Mismatch })
    }

    /// How many verifications ran since start (each login runs exactly one).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    /// How many queued jobs were skipped because the request waiting for them had ended.
    pub fn abandoned(&self) -> u64 {
        self.abandoned.load(Ordering::Relaxed)
    }

    async fn submit(&self, work: Work) -> anyhow::Result<()> {
        let job = Job { work, queued: std::time::Instant::now() };
        self.jobs.send(job).await.map_err(|_| anyhow!("password hashing threads stopped"))
    }
}

/// Hashing threads run only when no request thread wants the core (`SCHED_IDLE`): a
/// request that wakes up takes the core at once, instead of waiting out the hash's time
/// slice. At nice 10, as before, a session check during a 16-way login storm waited up to
/// a slice behind a hash (bench: `/api/me` there 30k -> 47k requests/s, p99 6.6 -> 4.9 ms;
/// logins alone unchanged). Under a flood that keeps both cores busy with requests,
/// logins wait for it to pass: checks come first.
fn yield_to_requests() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: a plain system call on this thread (pid 0) with a valid parameter; a
        // failure only means the thread keeps its normal priority.
        let result = unsafe { libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) };
        if result != 0 {
            tracing::debug!("could not lower the priority of a hashing thread");
        }
    }
}

fn work(receiver: &Mutex<mpsc::Receiver<Job>>, params: Params, abandoned: &AtomicU64) {
    yield_to_requests();
    // Allocated by the first job and reused while jobs keep coming.
    let mut memory: Vec<Block> = Vec::new();
    loop {
        if queue_is_empty(receiver) {
            release(&mut memory);
        }
        // The lock is held only while waiting, so exactly one idle worker takes the next job.
        let job = match receiver.lock() {
            Ok(mut receiver) => receiver.blocking_recv(),
            Err(_) => return,
        };
        let Some(job) = job else { return };
        crate::metrics::argon2_queue_wait(job.queued.elapsed());
        // A request whose client went away (a storm's connections closing) is dropped
        // with its receiver: nobody is left to answer, so keep the core (15-40 ms a hash).
        if job.work.abandoned() {
            abandoned.fetch_add(1, Ordering::Relaxed);
            crate::metrics::argon2_abandoned();
            continue;
        }
        match job.work {
            Work::Hash { password, reply } => {
                let _ = reply.send(hash(&params, password.expose_secret().as_bytes(), &mut memory));
            }
            Work::Verify { password, phc, reply } => {
                let _ = reply.send(verify(&params, password.expose_secret().as_bytes(), &phc, &mut memory));
            }
        }
    }
}

/// Whether no job waits. A worker that cannot tell (another worker holds the queue while
/// it waits for work, so the queue was empty a moment ago) counts it as empty.
fn queue_is_empty(receiver: &Mutex<mpsc::Receiver<Job>>) -> bool {
    receiver.try_lock().map_or(true, |receiver| receiver.is_empty())
}

/// Gives the block back to the allocator (and the allocator to the OS at once, see
/// `main.rs`) when the work is done: a quiet server holds no 19 MiB per core. During a
/// storm the queue is never empty and the block is reused; after a pause, the next hash
/// pays ~1 ms to map it again.
fn release(memory: &mut Vec<Block>) {
    *memory = Vec::new();
}

fn hash(params: &Params, password: &[u8], memory: &mut Vec<Block>) -> anyhow::Result<String> {
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow!("random source failed: {e}"))?;
    let mut output = [0u8; 32];
    let blocks = &mut memory[..params.block_count()];
    argon2id(params.clone()).hash_password_into_with_memory(password, &salt, &mut output, blocks)?;
    let phc = PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params)?,
        salt: Some(Salt::new(&salt)?),
        hash: Some(Output::new(&output)?),
    };
    Ok(phc.to_string())
}

fn verify(current: &Params, password: &[u8], phc: &str, memory: &mut Vec<Block>) -> anyhow::Result<Verification> {
    let parsed = PasswordHash::new(phc).context("stored password hash is not a PHC string")?;
    if parsed.algorithm != ARGON2ID_IDENT {
        return Err(anyhow!("stored password hash is not argon2id"));
    }
    let params = Params::try_from(&parsed)?;
    let salt = parsed.salt.context("stored password hash has no salt")?;
    let expected = parsed.hash.context("stored password hash has no output")?;
    let version = Version::try_from(parsed.version.unwrap_or(0x13))?;
    let mut output = vec![0u8; expected.len()];
    // Hashes made with larger parameters (after an upgrade) need a larger block.
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    let argon = Argon2::new(Algorithm::Argon2id, version, params.clone());
    argon.hash_password_into_with_memory(password, salt.as_ref(), &mut output, &mut memory[..params.block_count()])?;
    Ok(
        match (
            bool::from(output.as_slice().ct_eq(expected.as_bytes())),
            params == *current && version == Version::V0x13,
        ) {
            (false, _) => Verification::Mismatch,
            (true, true) => Verification::Match,
            (true, false) => Verification::MatchNeedsRehash,
        },
    )
}

fn argon2id(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use super::*;

    fn cheap() -> Params {
        Params::new(64, 1, 1, Some(32)).unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let hasher = PasswordHasher::start(cheap()).unwrap();
        let phc = hasher.hash("correct horse battery staple").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        let right = SecretString::from("correct horse battery staple");
        let wrong = SecretString::from("correct horse battery stapler");
        assert_eq!(hasher.verify(&right, Some(&phc)).await.unwrap(), Verification::Match);
        assert_eq!(hasher.verify(&wrong, Some(&phc)).await.unwrap(), Verification::Mismatch);
    }

    #[tokio::test]
    async fn the_production_parameters_are_owasps() {
        let hasher = PasswordHasher::start(production_params()).unwrap();
        let phc = hasher.hash("correct horse battery staple").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    }

    #[tokio::test]
    async fn a_hash_made_with_other_parameters_asks_for_a_rehash() {
        let old = PasswordHasher::start(cheap()).unwrap().hash("correct horse battery staple").await.unwrap();
        let hasher = PasswordHasher::start(Params::new(128, 1, 1, Some(32)).unwrap()).unwrap();
        let password = SecretString::from("correct horse battery staple");
        assert_eq!(hasher.verify(&password, Some(&old)).await.unwrap(), Verification::MatchNeedsRehash);
    }

    #[tokio::test]
    async fn no_user_means_a_mismatch_after_a_full_verification() {
        let hasher = PasswordHasher::start(cheap()).unwrap();
        let password = SecretString::from("gatehouse timing equaliser");
        assert_eq!(hasher.verify(&password, None).await.unwrap(), Verification::Mismatch);
        assert_eq!(hasher.verifications(), 1);
    }

    #[tokio::test]
    async fn work_for_a_request_that_has_ended_is_skipped() {
        let hasher = PasswordHasher::start(cheap()).unwrap();
        let slow = PasswordHasher::start(Params::new(32 * 1024, 8, 1, Some(32)).unwrap()).unwrap();
        let slow_phc = slow.hash("slow").await.unwrap();
        let password = SecretString::from("slow");
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());

        // Every worker busy with a slow verification, so the next job waits in the queue.
        let workers = thread::available_parallelism().map_or(1, |n| n.get());
        let mut busy: Vec<_> = (0..workers).map(|_| Box::pin(hasher.verify(&password, Some(&slow_phc)))).collect();
        for job in &mut busy {
            assert!(job.as_mut().poll(&mut context).is_pending());
        }
        let mut ended = Box::pin(hasher.verify(&password, None));
        assert!(ended.as_mut().poll(&mut context).is_pending(), "queued behind the busy workers");
        drop(ended);

        for job in busy {
            assert!(job.await.unwrap().is_match());
        }
        let skipped = async {
            while hasher.abandoned() == 0 {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), skipped).await.expect("the ended job was skipped");
        assert_eq!(hasher.abandoned(), 1);
    }

    #[tokio::test]
    async fn a_corrupt_stored_hash_is_an_error_not_a_match() {
        let hasher = PasswordHasher::start(cheap()).unwrap();
        let password = SecretString::from("x");
        assert!(hasher.verify(&password, Some("$2b$12$notargon")).await.is_err());
    }
}
