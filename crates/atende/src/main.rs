//! The `atende` binary: parse the command line and hand over to the library.

use clap::Parser;

#[tokio::main]
async fn main() {
    let cli = atende::cli::Cli::parse();
    if let Err(error) = atende::cli::run(cli).await {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}
