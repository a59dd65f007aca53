//! 3×3 rotation matrices and the few vector operations the apparent-place pipeline needs.
//!
//! Written by hand because the pipeline needs a dozen lines of linear algebra, not a library: the
//! rotations follow the IERS convention (R1, R2, R3 rotate the coordinate frame, not the vector, by
//! a positive angle counter-clockwise seen from the positive axis).

pub(crate) type Vector3 = [f64; 3];
pub(crate) type Matrix3 = [[f64; 3]; 3];

/// Rotation of the frame about the x axis.
pub(crate) fn r1(angle_rad: f64) -> Matrix3 {
    let (s, c) = angle_rad.sin_cos();
    [[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]]
}

/// Rotation of the frame about the y axis.
pub(crate) fn r2(angle_rad: f64) -> Matrix3 {
    let (s, c) = angle_rad.sin_cos();
    [[c, 0.0, -s], [0.0, 1.0, 0.0], [s, 0.0, c]]
}

/// Rotation of the frame about the z axis.
pub(crate) fn r3(angle_rad: f64) -> Matrix3 {
    let (s, c) = angle_rad.sin_cos();
    [[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]]
}

/// The matrix product `a · b` (apply `b` first, then `a`).
pub(crate) fn multiply(a: &Matrix3, b: &Matrix3) -> Matrix3 {
    let mut m = [[0.0; 3]; 3];
    for (i, row) in m.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
        }
    }
    m
}

/// `m · v`.
pub(crate) fn apply(m: &Matrix3, v: &Vector3) -> Vector3 {
    [
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    ]
}

pub(crate) fn dot(a: &Vector3, b: &Vector3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

pub(crate) fn cross(a: &Vector3, b: &Vector3) -> Vector3 {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

pub(crate) fn norm(a: &Vector3) -> f64 {
    dot(a, a).sqrt()
}

pub(crate) fn scale(a: &Vector3, k: f64) -> Vector3 {
    [a[0] * k, a[1] * k, a[2] * k]
}

pub(crate) fn add(a: &Vector3, b: &Vector3) -> Vector3 {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

pub(crate) fn sub(a: &Vector3, b: &Vector3) -> Vector3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

/// The rate of change of the unit vector `unit` = x/|x|, given x's rate and |x|: the part of the
/// rate across the direction, scaled down by the length.
pub(crate) fn unit_vector_rate(unit: &Vector3, rate: &Vector3, length: f64) -> Vector3 {
    scale(&sub(rate, &scale(unit, dot(unit, rate))), 1.0 / length)
}

/// Longitude (0..2π) and latitude of a vector, in radians.
pub(crate) fn spherical(v: &Vector3) -> (f64, f64) {
    let lon = v[1].atan2(v[0]).rem_euclid(std::f64::consts::TAU);
    let lat = v[2].atan2(v[0].hypot(v[1]));
    (lon, lat)
}

/// Rate of change of the longitude of `v` given its velocity `w` (same time unit as `w`).
pub(crate) fn longitude_rate(v: &Vector3, w: &Vector3) -> f64 {
    (v[0] * w[1] - v[1] * w[0]) / (v[0] * v[0] + v[1] * v[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotations_are_orthonormal_and_compose() {
        let m = multiply(&r3(0.3), &multiply(&r2(-0.2), &r1(1.1)));
        let t = [[m[0][0], m[1][0], m[2][0]], [m[0][1], m[1][1], m[2][1]], [m[0][2], m[1][2], m[2][2]]];
        let identity = multiply(&m, &t);
        for (i, row) in identity.iter().enumerate() {
            for (j, x) in row.iter().enumerate() {
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!((x - expected).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn r3_moves_longitudes_back_by_the_angle() {
        let v = apply(&r3(0.25), &[1.0, 0.0, 0.0]);
        let (lon, lat) = spherical(&v);
        assert!((lon - (std::f64::consts::TAU - 0.25)).abs() < 1e-15);
        assert!(lat.abs() < 1e-15);
    }
}
