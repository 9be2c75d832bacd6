//! The numerical pieces the models need, written out so the browser build carries no maths
//! library: the log-gamma function, Gauss's hypergeometric series and a Nelder–Mead
//! minimiser.

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, nine terms: about 15 significant
/// digits), by reflection below ½.
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Γ(x) Γ(1−x) = π / sin(πx)
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).abs().ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// Gauss's hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1, by its power series
/// (terms are summed until they stop mattering; the models only call it with z well below 1).
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 0..10_000 {
        let k = k as f64;
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() <= 1e-14 * sum.abs() {
            break;
        }
    }
    sum
}

/// The result of a minimisation.
#[derive(Clone, Debug, PartialEq)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
}

/// Minimises `f` from `start` by the Nelder–Mead simplex method (standard coefficients:
/// reflection 1, expansion 2, contraction ½, shrink ½), stopping when the simplex's values
/// agree to `tolerance` or after `max_iterations`. Non-finite values count as +∞, so a
/// function may refuse a point by returning NaN.
pub fn nelder_mead(f: impl Fn(&[f64]) -> f64, start: &[f64], step: f64, tolerance: f64, max_iterations: usize) -> Minimum {
    let n = start.len();
    let eval = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((start.to_vec(), eval(start)));
    for i in 0..n {
        let mut x = start.to_vec();
        x[i] += step;
        let v = eval(&x);
        simplex.push((x, v));
    }
    let mut iterations = 0;
    while iterations < max_iterations {
        iterations += 1;
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (best, worst) = (simplex[0].1, simplex[n].1);
        if (worst - best).abs() <= tolerance * (1.0 + best.abs()) {
            break;
        }
        let centroid: Vec<f64> =
            (0..n).map(|j| simplex[..n].iter().map(|(x, _)| x[j]).sum::<f64>() / n as f64).collect();
        let towards = |t: f64| -> Vec<f64> { (0..n).map(|j| centroid[j] + t * (simplex[n].0[j] - centroid[j])).collect() };
        let reflected = towards(-1.0);
        let fr = eval(&reflected);
        if fr < simplex[0].1 {
            let expanded = towards(-2.0);
            let fe = eval(&expanded);
            simplex[n] = if fe < fr { (expanded, fe) } else { (reflected, fr) };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (reflected, fr);
        } else {
            let outside = fr < simplex[n].1;
            let contracted = if outside { towards(-0.5) } else { towards(0.5) };
            let fc = eval(&contracted);
            if fc < fr.min(simplex[n].1) {
                simplex[n] = (contracted, fc);
            } else {
                let best = simplex[0].0.clone();
                for (x, v) in simplex.iter_mut().skip(1) {
                    for j in 0..n {
                        x[j] = best[j] + 0.5 * (x[j] - best[j]);
                    }
                    *v = eval(x);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (x, value) = simplex.swap_remove(0);
    Minimum { x, value, iterations }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_matches_factorials_and_half() {
        // Γ(n) = (n−1)!
        assert!((ln_gamma(1.0)).abs() < 1e-13);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
        assert!((ln_gamma(11.0) - 3_628_800f64.ln()).abs() < 1e-11);
        // Γ(½) = √π, and a small argument through the reflection.
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
        assert!((ln_gamma(0.1) - 9.513_507_698_668_732f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1−z)/z
        let z = 0.6;
        assert!((hyp2f1(1.0, 1.0, 2.0, z) - (-(1.0 - z as f64).ln() / z)).abs() < 1e-12);
        // ₂F₁(a, b; b; z) = (1−z)^(−a)
        assert!((hyp2f1(2.5, 3.0, 3.0, 0.3) - 0.7f64.powf(-2.5)).abs() < 1e-12);
        assert_eq!(hyp2f1(2.0, 3.0, 4.0, 0.0), 1.0);
    }

    #[test]
    fn nelder_mead_finds_the_rosenbrock_valley_floor() {
        let rosenbrock = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let found = nelder_mead(rosenbrock, &[-1.2, 1.0], 0.5, 1e-14, 5_000);
        assert!((found.x[0] - 1.0).abs() < 1e-4 && (found.x[1] - 1.0).abs() < 1e-4, "{found:?}");
    }

    #[test]
    fn nelder_mead_steps_around_refused_points() {
        // NaN outside x > 0: the minimiser must stay inside and find x = 2.
        let f = |x: &[f64]| if x[0] <= 0.0 { f64::NAN } else { (x[0] - 2.0).powi(2) };
        let found = nelder_mead(f, &[0.5], 1.0, 1e-14, 1_000);
        assert!((found.x[0] - 2.0).abs() < 1e-5, "{found:?}");
    }
}
