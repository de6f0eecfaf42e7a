export default function SellerListings() {
  return null;
}
