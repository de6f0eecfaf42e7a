export default function Auctions() {
  return null;
}
