//! kill -9: clients write customers and follow-ups as fast as they can while the server is
//! killed with SIGKILL at random moments and started again. Afterwards every write the server
//! acknowledged must be in the store, the store must open cleanly, and the read models built
//! from it must match it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kehu_domain::customers::types::{CustomerInput, TouchpointInput};
use kehu_domain::rng::Rng;
use kehu_ui::customers::api::{LogFollowUp, CreateCustomer};
use leptos::server_fn::ServerFn;
use serde_json::json;

use super::client::{Extra, Http};
use super::server::Server;
use super::{follow_up_args, sign_in, Setup};

/// What the clients were told was saved: customer id → follow-ups acknowledged.
type Acknowledged = Arc<Mutex<HashMap<String, u32>>>;

pub struct Figures {
    pub cycles: usize,
    pub customers_acknowledged: usize,
    pub followups_acknowledged: u32,
    pub customers_lost: usize,
    pub followups_lost: u32,
    pub read_models_match: bool,
}

/// One client: new customers with a follow-up each, until the server stops answering.
async fn write_until_killed(http: Http, (user, session): (String, String), client: usize, acked: Acknowledged) {
    let mut n = 0;
    loop {
        n += 1;
        let input = CustomerInput { name: format!("断电测试客户-{client}-{n}-{}", rand_word()), ..Default::default() };
        let extra = Extra { session: Some(&session), ..Default::default() };
        let Ok(reply) = http.call(CreateCustomer::PATH, &extra, &json!({ "input": input, "confirmed_not_duplicate": true })).await else { return };
        if reply.status != 200 {
            continue;
        }
        let Some(id) = serde_json::from_slice::<serde_json::Value>(&reply.body).ok().and_then(|v| v["id"].as_str().map(String::from)) else {
            continue;
        };
        acked.lock().unwrap_or_else(|p| p.into_inner()).insert(id.clone(), 0);
        let note = TouchpointInput { summary: format!("第 {n} 次跟进"), ..Default::default() };
        let Ok(reply) = http.call(LogFollowUp::PATH, &extra, &follow_up_args(&user, &id, note)).await else { return };
        if reply.status == 200 {
            *acked.lock().unwrap_or_else(|p| p.into_inner()).entry(id).or_default() += 1;
        }
    }
}

fn rand_word() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
}

pub async fn run(setup: &Setup, cycles: usize, clients: usize, seed: u64) -> Result<Figures, String> {
    let acked: Acknowledged = Arc::default();
    let mut rng = Rng(seed);
    for cycle in 0..cycles {
        let mut server = Server::start(&setup.bin, &setup.data, &setup.log).await.map_err(|e| format!("cycle {cycle}: {e}"))?;
        let session = sign_in(server.http, &setup.admin, &setup.password, None).await?;
        let writers: Vec<_> =
            (0..clients).map(|c| tokio::spawn(write_until_killed(server.http, (setup.admin.clone(), session.clone()), c, acked.clone()))).collect();
        // Between 0.3 and 2 seconds of writing, then the plug is pulled.
        tokio::time::sleep(Duration::from_millis(300 + rng.below(1700) as u64)).await;
        server.kill();
        for w in writers {
            let _ = w.await;
        }
    }
    // The store opens cleanly once more; then it is read directly.
    Server::start(&setup.bin, &setup.data, &setup.log).await.map_err(|e| format!("after the last kill: {e}"))?.stop();
    let state = super::open_store(&setup.data).await?;
    let acked = acked.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let mut figures = Figures {
        cycles,
        customers_acknowledged: acked.len(),
        followups_acknowledged: acked.values().sum(),
        customers_lost: 0,
        followups_lost: 0,
        read_models_match: true,
    };
    for (id, followups) in &acked {
        match super::followups_of(&state, id).await? {
            None => {
                figures.customers_lost += 1;
                figures.followups_lost += followups;
            }
            Some(stored) => figures.followups_lost += followups.saturating_sub(stored),
        }
    }
    figures.read_models_match = super::store_count(&state, "customer").await? == state.directory.len();
    Ok(figures)
}
